import type { Kysely } from 'kysely';
import { markRemindersSent } from '../storage/reminder-states.ts';
import { Temporal } from 'temporal-polyfill';
import { addDays, type IsoDate } from '../domain/calendar.ts';
import { runDunning } from '../dunning/run-dunning.ts';
import { insertCreditNote, insertPayment } from '../storage/allocations.ts';
import type { Database } from '../storage/schema.ts';
import { setDispute, setPromiseToPay } from '../storage/invoices.ts';
import { LEDGER_TABLES, refreshStatistics } from '../storage/statistics.ts';
import { inTransaction } from '../storage/transactions.ts';
import { nowIso } from '../storage/database.ts';
import { addCustomerActivity, type Actor } from '../customers/activities.ts';
import { randomSource, type DemoOptions, type DemoSettlement } from './generator.ts';
import { demoLedgerWriter, startDemoLedger, type DemoSummary, type WrittenInvoice } from './load-demo.ts';

export type DemoHistoryOptions = {
  /** How far back the simulated runs start (days before `asOf`). */
  days?: number;
  onProgress?: (day: IsoDate, last: IsoDate) => void;
};

export type DemoHistorySummary = DemoSummary & {
  runs: number;
  reminders: number;
  emails: number;
  disputes: number;
  promises: number;
};

/** Chance that a customer pays in full within a few weeks of a reminder, by the reminder's rank in the ladder. */
const ANSWER_RATE = [0.2, 0.3, 0.3, 0.45];

type Due = { written: WrittenInvoice; settlement: DemoSettlement };

/**
 * The demo ledger with a past: the invoices issued over the last year arrive day by day, their payments and
 * credit notes on their own dates through the ledger's use cases, and each working day the automatic run of
 * the dunning engine sends what it would have sent that day (its e-mails marked sent, its letters printed).
 * Some customers pay a few weeks after a reminder; the disputes and promises to pay of the generated ledger
 * are made at the end, after the reminders they answer. Today's run is left to do. Deterministic for a seed.
 */
export async function loadDemoWithHistory(
  db: Kysely<Database>,
  companyId: string,
  options: DemoOptions,
  history: DemoHistoryOptions = {},
): Promise<DemoHistorySummary> {
  const from = addDays(options.asOf, -(history.days ?? 365));
  const start = await startDemoLedger(db, companyId, options, from);
  const random = randomSource(options.seed * 31 + 5);
  const summary: DemoHistorySummary = { ...start.summary, runs: 0, reminders: 0, emails: 0, disputes: 0, promises: 0 };
  const balance = new Map<string, number>();
  const byId = new Map<string, WrittenInvoice>();
  const idOf = new Map<string, string>();
  const dues: Due[] = [];
  const track = (written: WrittenInvoice, settledBefore: IsoDate) => {
    byId.set(written.invoiceId, written);
    idOf.set(written.invoice.number, written.invoiceId);
    let allocated = 0;
    for (const s of written.invoice.settlements) {
      if (s.date < settledBefore) allocated += s.amount;
      else dues.push({ written, settlement: s });
    }
    balance.set(written.invoiceId, written.invoice.total - allocated);
  };
  for (const written of start.written) track(written, from);
  const answered = new Set<string>();
  const later = start.later;
  let next = 0;
  const last = addDays(options.asOf, -1);
  for (let day = from; day <= options.asOf; day = addDays(day, 1)) {
    history.onProgress?.(day, options.asOf);
    if (next < later.length && later[next]!.issueDate <= day) {
      await inTransaction(db, async (trx) => {
        const writer = demoLedgerWriter(trx, companyId, start.customerIds, nowIso());
        for (; next < later.length && later[next]!.issueDate <= day; next++) {
          track(writer.add(later[next]!, { settledBefore: from, withHolds: false }), from);
        }
        await writer.flush();
        summary.invoices += writer.summary.invoices;
        summary.payments += writer.summary.payments;
        summary.creditNotes += writer.summary.creditNotes;
      });
    }
    await settleDue(db, companyId, dues, day, balance, summary);
    if (day > last || Temporal.PlainDate.from(day).dayOfWeek > 5) continue;
    const result = await runDunning(db, companyId, { date: day, kind: 'automatic', printLetters: false });
    if (!result.run) continue;
    summary.runs++;
    summary.reminders += result.reminders;
    summary.emails += await backdateRun(db, companyId, result.run.id, day);
    for (const communication of result.plan.communications) {
      for (const item of communication.invoices) {
        const id = idOf.get(item.invoice);
        if (!id || answered.has(id) || (balance.get(id) ?? 0) <= 0) continue;
        if (dues.some((d) => d.written.invoiceId === id)) continue;
        const rate = ANSWER_RATE[Math.min(ANSWER_RATE.length - 1, communication.level - 1)] ?? 0.3;
        if (random() >= rate) continue;
        answered.add(id);
        const invoice = byId.get(id)!;
        const paidOn = addDays(day, 3 + Math.floor(random() * 21));
        if (paidOn > options.asOf) continue;
        dues.push({
          written: invoice,
          settlement: {
            kind: 'payment',
            date: paidOn,
            amount: balance.get(id)!,
            method: random() < 0.8 ? 'transfer' : 'cheque',
            reference: `VIR-${invoice.invoice.number}`,
          },
        });
      }
    }
  }
  await applyHolds(db, companyId, [...byId.values()], balance, random, options.asOf, summary);
  await refreshStatistics(db, LEDGER_TABLES, summary.customers + summary.invoices + summary.payments);
  return summary;
}

/** Records the payments and credit notes dated up to `day`, never beyond what an invoice still owes. */
async function settleDue(
  db: Kysely<Database>,
  companyId: string,
  dues: Due[],
  day: IsoDate,
  balance: Map<string, number>,
  summary: DemoSummary,
): Promise<void> {
  for (let at = 0; at < dues.length;) {
    const due = dues[at]!;
    if (due.settlement.date > day) {
      at++;
      continue;
    }
    dues.splice(at, 1);
    const { invoiceId, customerId, invoice } = due.written;
    const amount = Math.min(due.settlement.amount, balance.get(invoiceId) ?? 0);
    if (amount <= 0) continue;
    const allocations = [{ invoiceId, amount }];
    if (due.settlement.kind === 'payment') {
      const { method, reference } = due.settlement;
      await insertPayment(db, companyId, {
        customerId,
        date: day,
        currency: invoice.currency,
        amount,
        method,
        reference,
        allocations,
      });
      summary.payments++;
    } else {
      const { number } = due.settlement;
      await insertCreditNote(db, companyId, {
        number,
        customerId,
        date: day,
        currency: invoice.currency,
        total: amount,
        reason: null,
        allocations,
      });
      summary.creditNotes++;
    }
    balance.set(invoiceId, (balance.get(invoiceId) ?? 0) - amount);
  }
}

/**
 * Gives a simulated run the times of its day (it ran at 8 in the morning) and marks its e-mails sent, as the
 * outbox would have: the demo has no mail server, and these messages must not leave when it is served.
 */
function backdateRun(db: Kysely<Database>, companyId: string, runId: string, day: IsoDate): Promise<number> {
  // One transaction for its six writes: a commit each was a fifth of the demo's loading time on SQLite.
  return db.transaction().execute((trx) => backdateRunIn(trx, companyId, runId, day));
}

async function backdateRunIn(db: Kysely<Database>, companyId: string, runId: string, day: IsoDate): Promise<number> {
  const at = `${day}T08:00:00.000Z`;
  const sentAt = `${day}T08:02:00.000Z`;
  await db
    .updateTable('runs')
    .set({ started_at: at, finished_at: sentAt })
    .where('company_id', '=', companyId)
    .where('id', '=', runId)
    .execute();
  await db
    .updateTable('communications')
    .set({ created_at: at })
    .where('company_id', '=', companyId)
    .where('run_id', '=', runId)
    .execute();
  await db
    .updateTable('reminders')
    .set({ created_at: at })
    .where('company_id', '=', companyId)
    .where('run_id', '=', runId)
    .execute();
  await db
    .updateTable('documents')
    .set({ created_at: at })
    .where('company_id', '=', companyId)
    .where('run_id', '=', runId)
    .execute();
  const sent = await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      attempts: 1,
      sent_at: sentAt,
      created_at: at,
      updated_at: sentAt,
      next_attempt_at: at,
      smtp_response: '250 OK',
    })
    .where('company_id', '=', companyId)
    .where('status', '=', 'queued')
    .where(
      'communication_id',
      'in',
      db.selectFrom('communications').select('id').where('company_id', '=', companyId).where('run_id', '=', runId),
    )
    .executeTakeFirst();
  // Its e-mails left and its letters were posted that day: the reminders count as sent from then on.
  const communications = await db
    .selectFrom('communications')
    .select('id')
    .where('company_id', '=', companyId)
    .where('run_id', '=', runId)
    .execute();
  await markRemindersSent(
    db,
    companyId,
    communications.map((c) => c.id),
  );
  return Number(sent.numUpdatedRows);
}

const DEMO_ACTOR: Actor = { companyId: '', salesRep: null, userId: null, name: 'Démo' };
const DISPUTES = ['Livraison incomplète', 'Montant contesté', 'Prestation non conforme'];

/**
 * Today's holds: the generated disputes and promises to pay, and some more among the invoices already
 * reminded since they fell due (level 2 or later: a customer calls after a reminder), each with the call noted on the customer.
 */
async function applyHolds(
  db: Kysely<Database>,
  companyId: string,
  written: WrittenInvoice[],
  balance: Map<string, number>,
  random: () => number,
  asOf: IsoDate,
  summary: DemoHistorySummary,
): Promise<void> {
  const levels = new Map(
    (
      await db
        .selectFrom('reminders')
        .select(['invoice_id', (eb) => eb.fn.max('level').as('level')])
        .where('company_id', '=', companyId)
        .groupBy('invoice_id')
        .execute()
    ).map((r) => [r.invoice_id, Number(r.level)]),
  );
  const actor = { ...DEMO_ACTOR, companyId };
  for (const { invoiceId, customerId, invoice } of written) {
    if ((balance.get(invoiceId) ?? 0) <= 0) continue;
    const reminded = (levels.get(invoiceId) ?? 0) >= 2;
    const roll = random();
    const dispute =
      invoice.disputeReason ?? (reminded && roll < 0.05 ? DISPUTES[Math.floor(random() * DISPUTES.length)]! : null);
    const promise = dispute
      ? null
      : (invoice.promiseToPayDate ?? (reminded && roll < 0.2 ? addDays(asOf, 3 + Math.floor(random() * 18)) : null));
    if (dispute) {
      await setDispute(db, companyId, invoice.number, dispute);
      await addCustomerActivity(db, actor, customerId, {
        kind: 'call',
        body: `Facture ${invoice.number} contestée : ${dispute.toLowerCase()}.`,
        dueOn: null,
        assignedTo: null,
      });
      summary.disputes++;
    }
    if (promise) {
      await setPromiseToPay(db, companyId, invoice.number, promise);
      const [y, m, d] = promise.split('-');
      await addCustomerActivity(db, actor, customerId, {
        kind: 'call',
        body: `Promesse de règlement de la facture ${invoice.number} au ${d}/${m}/${y}.`,
        dueOn: null,
        assignedTo: null,
      });
      summary.promises++;
    }
  }
}
