import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { SMTPServer } from 'smtp-server';
import { dispatchOutbox } from '../src/mail/dispatch.ts';
import { saveMailSettings } from '../src/mail/settings.ts';
import { smtpMailer } from '../src/mail/transport.ts';
import { createCompany } from '../src/storage/companies.ts';
import { openStore } from '../src/storage/database.ts';
import { enqueueMessages, reminderKey } from '../src/storage/outbox.ts';
import { newId } from '../src/shared/ids.ts';
import { BackendCpu, named } from './pg-cpu.ts';
import { machine, timed, writeResult } from './support.ts';

/**
 * E-mails per second through the outbox (claim, attachment read from the database, SMTP, status update)
 * against the raw rate of a nodemailer pooled transport sending the same messages, both to the same
 * local SMTP sink running in its own process (so the sink's CPU is not the sender's event loop).
 */
const CONNECTIONS = 5;
const PDF_BYTES = 30 * 1024;
const ROUNDS = 5;

async function pdfOfSize(bytes: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  let page = doc.addPage();
  page.drawText('Facture F-2026-0001', { x: 50, y: 780, size: 18, font });
  let line = 0;
  let out = await doc.save({ useObjectStreams: false });
  while (out.length < bytes) {
    for (let i = 0; i < 20; i++, line++) {
      if (line % 60 === 0) page = doc.addPage();
      page.drawText(createHash('sha256').update(String(line)).digest('hex'), {
        x: 40,
        y: 800 - (line % 60) * 12,
        size: 8,
        font,
      });
    }
    out = await doc.save({ useObjectStreams: false });
  }
  return Buffer.from(out);
}

/** The sink process: accepts everything, keeps only a count. */
function runSink(): void {
  let count = 0;
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        count++;
        callback(null);
      });
    },
  });
  server.on('error', () => {});
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as { port: number }).port }));
  process.on('message', () => process.send!({ count }));
}

async function startSinkProcess(): Promise<{ child: ChildProcess; url: string; count(): Promise<number> }> {
  const child = fork(fileURLToPath(import.meta.url), ['--sink'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const port = await new Promise<number>((done) => child.once('message', (m: { port: number }) => done(m.port)));
  const count = () =>
    new Promise<number>((done) => {
      child.once('message', (m: { count: number }) => done(m.count));
      child.send('count');
    });
  return { child, url: `smtp://127.0.0.1:${port}`, count };
}

function message(i: number) {
  return {
    from: 'Société Bench <relances@bench.fr>',
    to: [`client${i}@exemple.fr`],
    subject: `Relance : facture F${i} échue`,
    text: `Bonjour,\nSauf erreur de notre part, la facture F${i} de 1 200,00 € reste impayée.\nCordialement`,
    html: `<p>Bonjour,</p><p>Sauf erreur de notre part, la facture <b>F${i}</b> de 1 200,00 € reste impayée.</p>`,
  };
}

async function rawRate(
  url: string,
  count: number,
  pdf: Buffer,
  offset: number,
): Promise<{ rate: number; cpuSeconds: number }> {
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
  const { seconds, cpuSeconds } = await timed(() =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        transport.sendMail({
          ...message(offset + i),
          messageId: `<raw-${offset + i}@bench.fr>`,
          attachments: [{ filename: `F${offset + i}.pdf`, content: pdf, contentType: 'application/pdf' }],
        }),
      ),
    ),
  );
  transport.close();
  return { rate: count / seconds, cpuSeconds };
}

/** `pg`: the outbox in a fresh schema of RELANCE_TEST_PG (default the local test database) instead of SQLite. */
export async function benchMail(options: { quick: boolean; pg?: boolean }): Promise<Record<string, unknown>> {
  // Five rounds of 150: the CPU-time ratio is as steady as with 500, in a third of the time.
  const count = options.quick ? 150 : 1500;
  const pdf = await pdfOfSize(PDF_BYTES);
  const sink = await startSinkProcess();
  const dir = mkdtempSync(join(tmpdir(), 'relance-bench-mail-'));
  const pgUrl = process.env.RELANCE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_mail_${process.pid}`;
  // On PostgreSQL the dispatcher's connections carry an application name, so that the CPU of the backends serving them
  // is read beside this process's (pg-cpu.ts).
  const application = `relance_bench_mail_${process.pid}`;
  const store = await openStore(
    options.pg
      ? named(`${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`, application)
      : join(dir, 'mail.db'),
  );
  const backends = options.pg ? await BackendCpu.open(pgUrl, application) : null;
  const engine = options.pg ? 'PostgreSQL' : 'SQLite';
  try {
    const company = await createCompany(store.db, { legalName: 'Société Bench' });
    await saveMailSettings(store.db, company.id, { smtpUrl: sink.url, from: 'Société Bench <relances@bench.fr>' });
    // One customer, N invoices each with its own stored 30 KB PDF, one queued reminder per invoice.
    const customerId = newId();
    const now = new Date().toISOString();
    await store.db
      .insertInto('customers')
      .values({
        company_id: company.id,
        id: customerId,
        code: 'C1',
        name: 'Client',
        kind: 'company',
        siren: null,
        vat_number: null,
        address_line1: null,
        address_line2: null,
        postcode: null,
        city: null,
        country: 'FR',
        language: 'fr',
        sales_rep: null,
        payment_terms: null,
        notes: null,
        search_text: 'c1\nclient',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const invoiceIds = Array.from({ length: count }, () => newId());
    for (let i = 0; i < count; i += 200) {
      const ids = invoiceIds.slice(i, i + 200);
      await store.db
        .insertInto('invoices')
        .values(
          ids.map((id, j) => ({
            company_id: company.id,
            id,
            number: `F${i + j}`,
            customer_id: customerId,
            issue_date: '2026-01-01',
            due_date: '2026-01-31',
            currency: 'EUR',
            total_excl_tax: null,
            total: 120_000,
            allocated: 0,
            title: null,
            sales_rep: null,
            status: 'issued',
            disputed: 0,
            dispute_reason: null,
            promise_to_pay_date: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      await store.db
        .insertInto('invoice_files')
        .values(
          ids.map((id, j) => ({
            company_id: company.id,
            invoice_id: id,
            filename: `F${i + j}.pdf`,
            media_type: 'application/pdf',
            content: pdf,
            sha256: 'x',
            created_at: now,
          })),
        )
        .execute();
    }
    // Each message belongs to a communication with its reminder, as a run writes them, so the dispatcher's send-time
    // check (the invoices read again before SMTP) is part of what is measured.
    const enqueueRound = (round: number) =>
      timed(() =>
        store.db.transaction().execute(async (trx) => {
          const at = new Date().toISOString();
          const communications = invoiceIds.map(() => newId());
          for (let i = 0; i < count; i += 200) {
            await trx
              .insertInto('communications')
              .values(
                communications.slice(i, i + 200).map((id) => ({
                  company_id: company.id,
                  id,
                  run_id: null,
                  customer_id: customerId,
                  currency: 'EUR',
                  level: round + 1,
                  label: `Relance ${round + 1}`,
                  channels: 'email',
                  created_at: at,
                  cancelled_at: null,
                  cancel_reason: null,
                })),
              )
              .execute();
            await trx
              .insertInto('reminders')
              .values(
                invoiceIds.slice(i, i + 200).map((invoiceId, j) => ({
                  company_id: company.id,
                  id: newId(),
                  invoice_id: invoiceId,
                  level: round + 1,
                  sent_on: '2026-02-15',
                  channel: 'email',
                  run_id: null,
                  communication_id: communications[i + j]!,
                  // Pending, as a run records them: the dispatch counts them as sent with their message's mark.
                  state: 'pending' as const,
                  created_at: at,
                })),
              )
              .execute();
          }
          return enqueueMessages(
            trx,
            company.id,
            invoiceIds.map((invoiceId, i) => ({
              kind: 'reminder' as const,
              idempotencyKey: `${reminderKey([invoiceId], 1)}:${round}`,
              communicationId: communications[i]!,
              customerId,
              ...message(i),
              messageIdDomain: 'bench.fr',
              attachments: [{ kind: 'invoice', invoiceId, filename: `Facture F${i}.pdf` }],
            })),
          );
        }),
      );

    await rawRate(sink.url, 200, pdf, 1_000_000); // warm up the sink, the sockets and the JIT
    // Raw and outbox alternate, so a burst of load on the (shared) machine hits both alike.
    // CPU time of this process beside the rates: the sink has its own process, so what is left is what each sender
    // spends per e-mail, which the neighbours' load on this shared machine moves far less than the rates.
    const rounds: {
      raw: number;
      outbox: number;
      enqueue: number;
      rawCpu: number;
      outboxCpu: number;
      /** CPU seconds per e-mail of the PostgreSQL backends serving the dispatch (null on SQLite, or a remote server). */
      serverCpu: number | null;
    }[] = [];
    const mailer = smtpMailer(sink.url, { maxConnections: CONNECTIONS });
    let sent = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const enqueue = await enqueueRound(round);
      const raw = await rawRate(sink.url, count, pdf, round * count);
      const run = () => dispatchOutbox(store.db, company.id, { mailer });
      const dispatch = backends ? await backends.timed(run) : { ...(await timed(run)), serverCpuSeconds: null };
      sent += dispatch.result.sent;
      rounds.push({
        raw: raw.rate,
        outbox: dispatch.result.sent / dispatch.seconds,
        enqueue: count / enqueue.seconds,
        rawCpu: raw.cpuSeconds / count,
        outboxCpu: dispatch.cpuSeconds / Math.max(1, dispatch.result.sent),
        serverCpu:
          dispatch.serverCpuSeconds === null ? null : dispatch.serverCpuSeconds / Math.max(1, dispatch.result.sent),
      });
    }
    mailer.close();
    const accepted = await sink.count();
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const raw = median(rounds.map((r) => r.raw));
    const outboxRate = median(rounds.map((r) => r.outbox));
    const ratio = median(rounds.map((r) => r.outbox / r.raw));
    const cpuRatio = median(rounds.map((r) => r.rawCpu / r.outboxCpu));
    // On PostgreSQL the database works in its own processes: what the outbox costs is this process's CPU plus theirs,
    // as SQLite's figure counts its database work (in this process). Raw nodemailer has no database at all.
    const withServer = rounds.every((r) => r.serverCpu !== null);
    const totalCpuRatio = withServer ? median(rounds.map((r) => r.rawCpu / (r.outboxCpu + r.serverCpu!))) : null;
    const result = {
      messagesPerRound: count,
      rounds,
      pdfBytes: pdf.length,
      connections: CONNECTIONS,
      rawPerSecond: raw,
      outboxPerSecond: outboxRate,
      ratio,
      cpuRatio,
      totalCpuRatio,
      sent,
      acceptedBySink: accepted,
      targets: { outboxPerSecond: 400, ratio: 0.7 },
    };
    const md = `# Mail benchmark (${engine} outbox, local SMTP sink in its own process)

Machine: ${machine()}. ${ROUNDS} rounds of ${count.toLocaleString('en-US')} e-mails each way, each e-mail with a ${(pdf.length / 1024).toFixed(1)} KB PDF, ${CONNECTIONS} pooled SMTP connections. Medians of the rounds (the machine is shared, so rounds alternate raw and outbox).

| measure | rate |
|---|---|
| raw nodemailer pooled transport (same messages and PDF, no database) | ${Math.round(raw)} e-mails/s |
| **outbox dispatch** (claim, PDF read from invoice_files, SMTP, status update) | **${Math.round(outboxRate)} e-mails/s** (median ratio ${(ratio * 100).toFixed(0)} % of raw; targets ≥ 400/s and ≥ 70 %) |
${
  totalCpuRatio === null
    ? `| **CPU time per e-mail, raw ÷ outbox** (median of the rounds; the sink's process not counted): the figure that counts | **${(cpuRatio * 100).toFixed(0)} %** (target ≥ 70 %) |`
    : `| CPU time per e-mail, raw ÷ outbox, this process only | ${(cpuRatio * 100).toFixed(0)} % |
| **CPU time per e-mail, raw ÷ (outbox process + its PostgreSQL backends)** (median of the rounds; the sink's process not counted): the figure that counts | **${(totalCpuRatio * 100).toFixed(0)} %** (target ≥ 70 %) |`
}
| enqueue (one transaction, rendered content and attachment references) | ${Math.round(median(rounds.map((r) => r.enqueue)))} e-mails/s |

| round | raw | outbox | ratio | CPU ms per e-mail, raw / outbox${withServer ? ' (+ PostgreSQL backends)' : ''} |
|---|---|---|---|---|
${rounds
  .map(
    (r, i) =>
      `| ${i + 1} | ${Math.round(r.raw)}/s | ${Math.round(r.outbox)}/s | ${((r.outbox / r.raw) * 100).toFixed(0)} % | ${(
        r.rawCpu * 1000
      ).toFixed(
        2,
      )} / ${(r.outboxCpu * 1000).toFixed(2)}${r.serverCpu === null ? '' : ` (+ ${(r.serverCpu * 1000).toFixed(2)})`} |`,
  )
  .join('\n')}

The sink accepted ${accepted.toLocaleString('en-US')} messages in all (warm-up and raw runs included); the outbox sent ${sent.toLocaleString('en-US')}.

The ratio that counts is the CPU one: on this shared machine the rates (and their ratio) move with the neighbours' load
far more than with the code, while the CPU this process spends per e-mail moves far less (it still does: compare rounds).${
      options.pg
        ? `

On PostgreSQL the honest figure counts the database's work too: SQLite's runs in this process and is in its CPU, while
PostgreSQL's runs in the backends serving the dispatcher's connections (read from /proc by their application name,
bench/pg-cpu.ts${withServer ? '' : ': not available here, the server is not local'}). Counting this process alone would leave out
the claim's planning, its locks and updates and the PDFs' encoding, which are what the outbox adds on this engine. The rate
ratio is bound by the claim's round trip besides (the connections freed wait for it: at most one message per
connection may be in doubt after a crash, so nothing is claimed ahead), and moves most with the neighbours' load.`
        : ''
    }
`;
    writeResult(options.pg ? 'mail-pg' : 'mail', md, { engine, ...result });
    console.log(md);
    return result;
  } finally {
    await backends?.close();
    if (options.pg) await sql.raw(`drop schema if exists ${schema} cascade`).execute(store.db);
    await store.close();
    sink.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--sink')) runSink();
