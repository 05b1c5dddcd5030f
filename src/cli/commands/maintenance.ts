import { Command } from 'commander';
import { CLI_OPERATOR, type GlobalOptions } from '../context.ts';
import { words } from '../words.ts';

/** `relance migrate`: what an upgrade will change in the database, and applying it. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('list the database migrations this version has not applied yet, and apply them (--dry-run: list only)')
    .option('--dry-run', 'list the pending migrations without applying them')
    .action(async (flags: { dryRun?: boolean }, command: Command) => {
      // The storage and the maintenance use cases are loaded by the action, not with the command's definition.
      const { openStore } = await import('../../storage/database.ts');
      const { migrateDatabase } = await import('../../maintenance/migrate-database.ts');
      const store = await openStore(command.optsWithGlobals<GlobalOptions>().db, { migrate: false });
      try {
        const { pending, applied } = await migrateDatabase(store, CLI_OPERATOR, { dryRun: flags.dryRun });
        if (pending.length === 0) {
          process.stdout.write(`${words().t('cli.out.upToDate', { db: store.location })}\n`);
          return;
        }
        process.stdout.write(
          `${words().t('cli.out.pending', { db: store.location })}\n${pending.map((name) => `  ${name}\n`).join('')}`,
        );
        if (flags.dryRun) {
          process.stdout.write(`${words().t('cli.out.dryRunMigrate')}\n`);
          return;
        }
        process.stdout.write(`${words().t('cli.out.applied', { count: applied.length })}\n`);
      } finally {
        await store.close();
      }
    });
}

export function backupCommand(): Command {
  return new Command('backup')
    .description('copy the SQLite database (safe while the server writes) and its secret key into one archive')
    .requiredOption('--out <file>', 'the archive to write (a .tar.gz)')
    .action(async (flags: { out: string }, command: Command) => {
      const { backUpDatabase } = await import('../../maintenance/back-up-database.ts');
      const report = await backUpDatabase(command.optsWithGlobals<GlobalOptions>().db, { out: flags.out });
      const { t } = words();
      const key = t(`cli.out.backupKey.${report.key}`);
      process.stdout.write(`${t('cli.out.backupWritten', { file: report.out, bytes: report.bytes, key })}\n`);
    });
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('put a backup back as the database and its secret key (stop the server first)')
    .argument('<file>', 'an archive written by relance backup')
    .option('--force', 'replace a database that already holds data')
    .action(async (file: string, flags: { force?: boolean }, command: Command) => {
      const { restoreBackup } = await import('../../maintenance/restore-backup.ts');
      const report = await restoreBackup(command.optsWithGlobals<GlobalOptions>().db, CLI_OPERATOR, {
        archive: file,
        force: flags.force,
      });
      process.stdout.write(
        `${words().t('cli.out.restored', {
          db: report.db,
          key: report.key === 'restored' ? words().t('cli.out.restoredKey') : '',
        })}\n`,
      );
    });
}
