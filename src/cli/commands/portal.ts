import { Command } from 'commander';
import { cliActor, withStore } from '../context.ts';
import { words } from '../words.ts';

/** The customer's payment page: print a new link to give them, or revoke every link they have. */
export function portalCommand(): Command {
  const portal = new Command('portal').description("the customer's payment page (its link, no account needed)");
  portal
    .command('link')
    .description("creates a link to the customer's payment page and prints it (RELANCE_PUBLIC_URL gives the address)")
    .argument('<customer>', 'customer code')
    .action(async (code: string, _flags: unknown, command: Command) => {
      await withStore(command, async (store, company) => {
        const { t } = words();
        // The use case is loaded by the action, not with the command's definition.
        const { issuePortalLink } = await import('../../portal/portal-links.ts');
        const link = await issuePortalLink(store.db, cliActor(company), { customerCode: code });
        process.stdout.write(`${t('portal.linkIssued', { customer: code, days: link.expiresInDays })}\n${link.url}\n`);
      });
    });
  portal
    .command('revoke')
    .description("revokes every link to the customer's payment page")
    .argument('<customer>', 'customer code')
    .action(async (code: string, _flags: unknown, command: Command) => {
      await withStore(command, async (store, company) => {
        const { t } = words();
        const { revokePortalLinks } = await import('../../portal/portal-links.ts');
        const { revoked } = await revokePortalLinks(store.db, cliActor(company), { customerCode: code });
        process.stdout.write(`${t('portal.revoked', { count: revoked, customer: code })}\n`);
      });
    });
  return portal;
}
