import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { loadDemo } from '../src/demo/load-demo.ts';
import { saveMailSettings } from '../src/mail/settings.ts';
import { changeAutomation } from '../src/scheduler/automation.ts';
import { createCompany, ensureDefaultCompany } from '../src/storage/companies.ts';
import { openStore, rawQuery } from '../src/storage/database.ts';
import { startServe } from './served-ledger.ts';

const BASE = process.env.RELANCE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_two_servers';
/** Each company's demo ledger: enough for a first automatic run with hundreds of e-mails, short on a shared machine. */
const LEDGER = { invoices: 1_000, customers: 300 };

async function dropSchema(): Promise<void> {
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(`drop schema if exists ${SCHEMA} cascade`);
  await client.end();
}

/** An SMTP server in this process that keeps each accepted message's Message-ID. */
async function startSink(): Promise<{ url: string; ids: string[]; close(): Promise<void> }> {
  const ids: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 20 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('latin1').split('\r\n\r\n')[0]!;
        ids.push(/^message-id:\s*(<[^>]+>)/im.exec(head.replace(/\r\n[ \t]+/g, ' '))?.[1] ?? '(none)');
        callback(null);
      });
    },
  });
  server.on('error', () => {});
  const port = await new Promise<number>((done) =>
    server.listen(0, '127.0.0.1', () => done((server.server.address() as { port: number }).port)),
  );
  return { url: `smtp://127.0.0.1:${port}`, ids, close: () => new Promise((done) => server.close(() => done())) };
}

export type TwoServersResult = {
  companies: number;
  automaticRuns: { company: string; date: string; runs: number; status: string }[];
  outboxSent: number;
  outboxLeft: number;
  received: number;
  receivedTwice: number;
  seconds: number;
  pass: boolean;
};

/**
 * Several servers on one PostgreSQL, doing the daily work: two `relance serve` processes with their schedulers, on a
 * database of two companies in automatic mode whose run time has passed, so both catch up the day's run at start.
 * Checked from the database and the SMTP sink once the outboxes are empty: one automatic run per company and day,
 * and every message sent once (as many accepted by the sink as marked sent, no Message-ID twice).
 */
export async function benchTwoServers(timeoutSeconds = 600): Promise<TwoServersResult> {
  await dropSchema();
  const target = `${BASE}${BASE.includes('?') ? '&' : '?'}schema=${SCHEMA}`;
  const store = await openStore(target);
  const sink = await startSink();
  const started = performance.now();
  let servers: Awaited<ReturnType<typeof startServe>>[] = [];
  try {
    const companies = [
      await ensureDefaultCompany(store.db),
      await createCompany(store.db, { legalName: 'Second SAS' }),
    ];
    for (const [k, company] of companies.entries()) {
      await loadDemo(store.db, company.id, { ...LEDGER, seed: 11 + k, asOf: '2026-11-25' });
      await saveMailSettings(store.db, company.id, { smtpUrl: sink.url, from: `Relance <compta${k}@societe.fr>` });
      await changeAutomation(
        store.db,
        { companyId: company.id, userId: null, name: 'bench' },
        { enabled: true, time: '00:00', skipWeekends: false, skipHolidays: false },
      );
    }
    servers = await Promise.all([0, 1].map(() => startServe(target, { scheduler: true, log: 'error' })));
    // Done when every company has a finished automatic run and nothing is left to send.
    for (;;) {
      const rows = await rawQuery<{ done: string; left: string }>(
        store.db,
        `select (select count(*) from runs where kind = 'automatic' and status <> 'running') as done,
          (select count(*) from outbox where status in ('queued', 'sending')) as left`,
      );
      if (Number(rows[0]!.done) >= companies.length && Number(rows[0]!.left) === 0) break;
      if (performance.now() - started > timeoutSeconds * 1000)
        throw new Error('the automatic runs did not finish in time');
      await new Promise((done) => setTimeout(done, 2000));
    }
    for (const { server } of servers) server.kill('SIGTERM');
    servers = [];
    const runs = await rawQuery<{ company: string; date: string; runs: string; status: string }>(
      store.db,
      `select c.legal_name as company, r.run_date::text as date, count(*) as runs, string_agg(r.status, ',') as status
        from runs r join companies c on c.id = r.company_id
        where r.kind = 'automatic' group by r.company_id, c.legal_name, r.run_date order by 1, 2`,
    );
    const outbox = await rawQuery<{ sent: string; left: string }>(
      store.db,
      `select count(*) filter (where status = 'sent') as sent, count(*) filter (where status in ('queued', 'sending')) as left
        from outbox`,
    );
    const receivedTwice = sink.ids.length - new Set(sink.ids).size;
    const automaticRuns = runs.map((r) => ({ ...r, runs: Number(r.runs) }));
    const result: TwoServersResult = {
      companies: companies.length,
      automaticRuns,
      outboxSent: Number(outbox[0]!.sent),
      outboxLeft: Number(outbox[0]!.left),
      received: sink.ids.length,
      receivedTwice,
      seconds: (performance.now() - started) / 1000,
      pass:
        automaticRuns.length === companies.length &&
        automaticRuns.every((r) => r.runs === 1 && r.status === 'completed') &&
        Number(outbox[0]!.sent) > 0 &&
        Number(outbox[0]!.sent) === sink.ids.length &&
        receivedTwice === 0,
    };
    return result;
  } finally {
    for (const { server } of servers) server.kill('SIGTERM');
    await sink.close();
    await store.close();
    await dropSchema();
  }
}
