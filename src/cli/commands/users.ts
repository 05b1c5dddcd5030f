import { Command, InvalidArgumentError } from 'commander';
import { RoleSchema, type Role } from '../../accounts/roles.ts';
import { AppError } from '../../shared/errors.ts';
import { cliActor, withStore } from '../context.ts';
import { printJson, table } from '../format.ts';
import { words } from '../words.ts';

// The use cases (password hashing, storage) are loaded by the action that runs them, so that a usage error or
// --help does not pay for them.

function roleOption(value: string): Role {
  const parsed = RoleSchema.safeParse(value);
  if (!parsed.success)
    throw new InvalidArgumentError(words().t('cli.report.arg.choose', { values: 'admin, collector, viewer' }));
  return parsed.data;
}

export function userCommand(): Command {
  const user = new Command('user').description('people who log in to the API and web app, and their roles');
  user
    .command('add')
    .description('add a person to the company (creates the account; prints a generated password unless --password)')
    .requiredOption('--email <email>', 'login e-mail')
    .requiredOption('--role <role>', 'admin, collector or viewer', roleOption)
    .option('--password <password>', 'initial password (at least 10 characters)')
    .option('--sales-rep <name>', "a collector restricted to this sales rep's customers")
    .option('--name <name>', 'display name')
    .option('--installation-admin', 'may also create companies (the first admin added to an installation always may)')
    .action(
      async (
        options: {
          email: string;
          role: Role;
          password?: string;
          salesRep?: string;
          name?: string;
          installationAdmin?: boolean;
        },
        command: Command,
      ) => {
        if (!/^[^\s@]+@[^\s@]+$/.test(options.email))
          throw new AppError('usage', `"${options.email}" is not an e-mail address.`, [], {
            key: 'problem.notEmail',
            params: { value: options.email },
          });
        await withStore(command, async (store, company) => {
          const { addMemberDirectly } = await import('../../accounts/add-member.ts');
          const result = await addMemberDirectly(store.db, cliActor(company), options);
          process.stdout.write(
            `${words().t('cli.out.userAdded', {
              what: words().t(result.created ? 'cli.out.accountCreated' : 'cli.out.accountAdded'),
              email: result.user.email,
              role: words().t(`cli.out.role.${options.role}`).toLowerCase(),
              company: company.legalName,
              rep: options.salesRep ? words().t('cli.out.userRep', { rep: options.salesRep }) : '',
            })}\n`,
          );
          if (result.generatedPassword)
            process.stdout.write(`${words().t('cli.out.password', { password: result.generatedPassword })}\n`);
        });
      },
    );
  user
    .command('list')
    .description('people of the company and their roles')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { listCompanyMembers } = await import('../../accounts/list-members.ts');
        const members = await listCompanyMembers(store.db, company.id);
        if (options.json) printJson(members);
        else
          process.stdout.write(
            `${table(
              ['email', 'role', 'salesRep'].map((k) => words().t(`cli.out.column.${k}`)),
              members.map((m) => [m.email, words().t(`cli.out.role.${m.role}`), m.salesRep ?? '']),
            )}\n`,
          );
      });
    });
  user
    .command('reset-password')
    .description('print a one-hour password reset token for an account (until e-mail delivery of reset links exists)')
    .requiredOption('--email <email>', 'login e-mail')
    .action(async (options: { email: string }, command: Command) => {
      await withStore(command, async (store, company) => {
        const { issueResetToken } = await import('../../accounts/reset-token.ts');
        const reset = await issueResetToken(store.db, cliActor(company), options.email);
        process.stdout.write(`${words().t('cli.out.resetToken', { email: options.email, token: reset.token })}\n`);
      });
    });
  return user;
}
