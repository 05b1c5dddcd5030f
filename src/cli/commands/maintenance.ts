import { Command } from 'commander';
import { backupDatabase, restoreDatabase } from '../../storage/backup.ts';
import { migrate, openStore, pendingMigrations } from '../../storage/database.ts';
import type { GlobalOptions } from '../context.ts';

/** `relance migrate`: what an upgrade will change in the database, and applying it. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('list the database migrations this version has not applied yet, and apply them (--dry-run: list only)')
    .option('--dry-run', 'list the pending migrations without applying them')
    .action(async (flags: { dryRun?: boolean }, command: Command) => {
      const store = await openStore(command.optsWithGlobals<GlobalOptions>().db, { migrate: false });
      try {
        const pending = await pendingMigrations(store.db, store.schema);
        if (pending.length === 0) {
          process.stdout.write(`${store.location} is up to date: no migration pending.\n`);
          return;
        }
        process.stdout.write(`Pending on ${store.location}:\n${pending.map((name) => `  ${name}\n`).join('')}`);
        if (flags.dryRun) {
          process.stdout.write('Nothing applied (--dry-run). Back up first: relance backup --out FILE.\n');
          return;
        }
        const applied = await migrate(store.db, store.schema);
        process.stdout.write(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}.\n`);
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
      const report = await backupDatabase(command.optsWithGlobals<GlobalOptions>().db, flags.out);
      const key = {
        included: 'with its secret key',
        environment: 'without the secret key: it is RELANCE_SECRET_KEY, keep it apart',
        none: 'no secret key exists yet',
      }[report.key];
      process.stdout.write(`Backup written to ${report.out} (${report.bytes} bytes), ${key}.\n`);
    });
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('put a backup back as the database and its secret key (stop the server first)')
    .argument('<file>', 'an archive written by relance backup')
    .option('--force', 'replace a database that already holds data')
    .action((file: string, flags: { force?: boolean }, command: Command) => {
      const report = restoreDatabase(file, command.optsWithGlobals<GlobalOptions>().db, flags);
      process.stdout.write(
        `Restored ${report.db}${report.key === 'restored' ? ' and its secret key' : ''}; ` +
          'start the server again (a newer relance upgrades it on start, relance migrate shows how).\n',
      );
    });
}
