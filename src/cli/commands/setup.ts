import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { todayIn } from '../../domain/calendar.ts';
import { AppError } from '../../shared/errors.ts';
import type { DemoOptions } from '../../demo/generator.ts';
import type { Company } from '../../domain/ledger.ts';
import { systemActor } from '../../shared/actor.ts';
import type { Store } from '../../storage/database.ts';
import { CLI_OPERATOR, withStore } from '../context.ts';
import type { GlobalOptions } from '../context.ts';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { countOption, dateOption } from '../parse-options.ts';
import { moneyByCurrency, table } from '../format.ts';
import { formatIsoDate } from '../../i18n/format-date.ts';
import { words } from '../words.ts';

// The demo generator, the use cases and the storage are loaded by the action that runs them, so that a usage
// error or --help does not pay for them.

type DemoFlags = {
  customers: number;
  invoices: number;
  seed: number;
  date?: string;
  csv?: string;
  serve?: boolean;
  port?: number;
  host?: string;
  history?: boolean;
};

async function fillDemo(store: Store, company: Company, flags: DemoFlags): Promise<string> {
  const { t, locale } = words();
  if (flags.customers === 0 && flags.invoices > 0) {
    throw new AppError('usage', 'Demo invoices need customers: give --customers 1 or more.', [], {
      key: 'cli.setup.needCustomers',
    });
  }
  const options: DemoOptions = {
    customers: flags.customers,
    invoices: flags.invoices,
    seed: flags.seed,
    asOf: flags.date ?? todayIn(company.timeZone),
  };
  if (flags.csv) {
    const { writeDemoCsv } = await import('../../demo/write-demo-csv.ts');
    const paths = await writeDemoCsv(flags.csv, options);
    return t('cli.setup.csvWritten', { paths: Object.values(paths).join(', ') });
  }
  if (flags.history) return fillDemoWithHistory(store, company, options);
  const bar =
    process.stderr.isTTY && flags.invoices >= 20_000
      ? new cliProgress.SingleBar(
          { format: t('cli.setup.demoBar'), stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(flags.invoices, 0);
  try {
    const { loadDemo } = await import('../../demo/load-demo.ts');
    const s = await loadDemo(store.db, company.id, options, (done) => bar?.update(done));
    return t('cli.demo.loaded', {
      location: store.location,
      customers: t('cli.demo.customers', { count: s.customers }),
      invoices: t('cli.demo.invoices', { count: s.invoices }),
      payments: t('cli.demo.payments', { count: s.payments }),
      creditNotes: t('cli.demo.creditNotes', { count: s.creditNotes }),
      seed: flags.seed,
      date: locale === 'fr' ? formatIsoDate(options.asOf, 'fr') : options.asOf,
    });
  } finally {
    bar?.stop();
  }
}

/** The demo with a year of past runs, e-mails, letters, payments, disputes and promises (demo-history.ts). */
async function fillDemoWithHistory(store: Store, company: Company, options: DemoOptions): Promise<string> {
  const { t, locale } = words();
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: t('cli.setup.historyBar'), stream: process.stderr, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let days = 0;
  bar?.start(366, 0, { day: '' });
  try {
    // Loaded here: the dunning, mail and template modules it replays through are not needed by init or demo.
    const { loadDemoWithHistory } = await import('../../demo/demo-history.ts');
    const s = await loadDemoWithHistory(store.db, company.id, options, {
      onProgress: (day) => bar?.update(++days, { day }),
    });
    return t('cli.setup.history', {
      location: store.location,
      customers: t('cli.demo.customers', { count: s.customers }),
      invoices: t('cli.demo.invoices', { count: s.invoices }),
      payments: t('cli.demo.payments', { count: s.payments }),
      creditNotes: t('cli.demo.creditNotes', { count: s.creditNotes }),
      runs: t('cli.setup.runs', { count: s.runs }),
      reminders: t('cli.setup.reminders', { count: s.reminders }),
      emails: t('cli.setup.emails', { count: s.emails }),
      disputes: t('cli.setup.disputes', { count: s.disputes }),
      promises: t('cli.setup.promises', { count: s.promises }),
      seed: options.seed,
      date: locale === 'fr' ? formatIsoDate(options.asOf, 'fr') : options.asOf,
    });
  } finally {
    bar?.stop();
  }
}

function demoOptions(command: Command, customers: number, invoices: number): Command {
  return command
    .option('--customers <n>', 'number of customers', countOption, customers)
    .option('--invoices <n>', 'number of invoices', countOption, invoices)
    .option('--seed <n>', 'random seed: the same seed gives the same data', countOption, 1)
    .option('--date <date>', 'the "today" of the data (default: today)', dateOption);
}

export function initCommand(): Command {
  return new Command('init')
    .description('create (or upgrade) the database and the default company')
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, async (store, company) => {
        const { t } = words();
        const params = { location: store.location, dialect: store.dialect, company: company.legalName, id: company.id };
        process.stdout.write(`${t('cli.setup.init', params)}\n`);
      });
    });
}

export function demoCommand(): Command {
  return demoOptions(new Command('demo'), 200, 2000)
    .description('fill an empty database with realistic, deterministic French SMB data')
    .option('--csv <dir>', 'write the four import CSV files to this folder instead')
    .option('--history', 'replay a year of daily runs, e-mails, letters and payments (slower)')
    .action(async (flags: DemoFlags, command: Command) => {
      await withStore(command, async (store, company) => {
        process.stdout.write(`${await fillDemo(store, company, flags)}\n`);
      });
    });
}

/** The demo's own database: `npm start` never touches the one named by RELANCE_DB (production's). */
export const DEMO_DB = './data/demo.db';

/** What `npm start` runs: a ready database with demo data, and what is overdue in it today. */
export function startCommand(): Command {
  return demoOptions(new Command('start'), 200, 2000)
    .description(
      'the demo: its own database (./data/demo.db) with demo data, what is overdue, and --serve to try the web app',
    )
    .option('--serve', 'then serve the API (and web app), as npm start does')
    .option('--no-history', 'the ledger alone, without the replayed year of runs, reminders and payments')
    .option('--port <n>', 'TCP port for --serve', (v: string) => Number(v), 3000)
    .option('--host <address>', 'address for --serve', '127.0.0.1')
    .action(async (flags: DemoFlags, command: Command) => {
      const target = command.optsWithGlobals<GlobalOptions>().db ?? process.env.RELANCE_DEMO_DB ?? DEMO_DB;
      const { openStore } = await import('../../storage/database.ts');
      const { demoNeedsLoading, holdsRealData } = await import('../../demo/demo-company.ts');
      const { openDefaultCompany } = await import('../../accounts/default-company.ts');
      const { viewCompany } = await import('../../accounts/view-company.ts');
      const store = await openStore(target);
      try {
        // A database holding real data is production's: the demo neither loads data nor makes an account there.
        if (await holdsRealData(store.db)) {
          throw new AppError(
            'conflict',
            `${store.location} holds real data, not the demo: run it with relance serve ` +
              '(relance setup first); npm start uses its own ./data/demo.db.',
            [],
            { key: 'cli.setup.realData', params: { location: store.location } },
          );
        }
        const company = await openDefaultCompany(store.db, CLI_OPERATOR);
        if (await demoNeedsLoading(store.db, company.id))
          process.stdout.write(`${await fillDemo(store, company, flags)}\n`);
        await overview(store, await viewCompany(store.db, company.id), flags.date);
        if (flags.serve) await serveDemo(store, company.id, flags);
      } finally {
        await store.close();
      }
    });
}

async function overview(store: Store, company: Company, date: string | undefined): Promise<void> {
  const asOf = date ?? todayIn(company.timeZone);
  const { t, locale } = words();
  const { listInvoicePage } = await import('../../invoices/list-invoices.ts');
  const open = await listInvoicePage(
    store.db,
    systemActor(company.id, 'setup'),
    { open: true, asOf },
    { limit: 1_000_000, sort: 'number' },
  );
  const buckets = [
    { label: 'notDue', test: (d: number) => d <= 0 },
    { label: 'late1', test: (d: number) => d >= 1 && d <= 30 },
    { label: 'late31', test: (d: number) => d >= 31 && d <= 60 },
    { label: 'late61', test: (d: number) => d >= 61 && d <= 90 },
    { label: 'late90', test: (d: number) => d > 90 },
  ].map((b) => {
    const rows = open.filter((i) => b.test(i.daysOverdue));
    return [t(`cli.overview.${b.label}`), String(rows.length), moneyByCurrency(rows, locale, company.currency)];
  });
  const when = locale === 'fr' ? formatIsoDate(asOf, 'fr') : asOf;
  process.stdout.write(
    `\n${t('cli.overview.title', { company: company.legalName, date: when, location: store.location })}\n\n` +
      `${table(['', t('cli.table.invoices'), t('cli.table.balance')], buckets, [1, 2])}\n\n` +
      `${t('cli.overview.next', { location: store.location })}\n`,
  );
}

/**
 * Serves the demo. Its admin is made once and its password shown that once and kept in a file beside
 * the demo database (readable by its owner only), never printed again nor reset at a later start.
 */
async function serveDemo(store: Store, companyId: string, flags: DemoFlags): Promise<void> {
  const { ensureDemoLogin } = await import('../../accounts/demo-login.ts');
  const login = await ensureDemoLogin(store.db, companyId);
  const file =
    store.dialect === 'sqlite' && store.location !== ':memory:'
      ? join(dirname(store.location), 'demo-login.txt')
      : null;
  if (login.password !== null && file) writeFileSync(file, `${login.email} ${login.password}\n`, { mode: 0o600 });
  const { t } = words();
  const how =
    login.password !== null
      ? file
        ? t('cli.overview.passwordKept', { password: login.password, file })
        : t('cli.overview.password', { password: login.password })
      : file && existsSync(file)
        ? t('cli.overview.passwordInFile', { file })
        : t('cli.overview.passwordShown');
  // Loaded only to serve: the HTTP app's modules took seconds of every init, demo and start.
  const { serveApi } = await import('./serve.ts');
  await serveApi(store, { port: flags.port ?? 3000, host: flags.host ?? '127.0.0.1', logLevel: 'warn' }, (url) =>
    process.stdout.write(
      `\n${t('cli.overview.serving', { url })}\n${t('cli.overview.login', { email: login.email, how })}\n`,
    ),
  );
}
