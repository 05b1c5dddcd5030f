import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../src/domain/calendar.ts';
import { isPreReminder } from '../../src/domain/dunning/engine.ts';
import { defaultPolicy } from '../../src/domain/dunning/policy.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { insertCreditNote, insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import { setCustomerDunning } from '../../src/storage/dunning.ts';
import { createInvoice, setDispute } from '../../src/storage/invoices.ts';
import type { Db } from '../../src/storage/database.ts';
import { customerInput, invoiceInput, LETTER_IDENTITY, useStore } from '../repositories/helpers.ts';
import { startSink, type Sink } from '../mail/support/sink.ts';
import { dialects } from '../support/stores.ts';

/**
 * The promise of every message, over random ledgers and random sequences of runs, payments, credit notes,
 * disputes, holds and dispatches (sending right after a run, days later, or never): after every step,
 * - no message reaches the SMTP peer for an invoice settled, disputed or held at that moment;
 * - no reminder demands an invoice not yet due (only a pre-reminder is sent before the due date);
 * - every invoice of a communication is recorded at the communication's own level;
 * - no formal notice covers an invoice that missed an earlier (non pre-reminder) step;
 * - each invoice's levels go up one by one (a pre-reminder may be passed over);
 * - nothing is sent twice (one Message-ID, one level per invoice).
 * Holds are blocks (no date), so the send-time check and this test agree on "at that moment" whatever the clock says.
 */
const START: IsoDate = '2025-03-01';
const POLICY = defaultPolicy();
const NOTICE = new Set(POLICY.steps.flatMap((s, i) => (s.formalNotice ? [i + 1] : [])));

type Action =
  | { kind: 'run'; days: number }
  | { kind: 'dispatch' }
  | { kind: 'pay'; invoice: number; full: boolean }
  | { kind: 'credit'; invoice: number }
  | { kind: 'dispute'; invoice: number }
  | { kind: 'block'; customer: number; on: boolean };

const INVOICES = 4;
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('run' as const), days: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'dispatch' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('pay' as const), invoice: fc.nat(INVOICES - 1), full: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('credit' as const), invoice: fc.nat(INVOICES - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dispute' as const), invoice: fc.nat(INVOICES - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('block' as const), customer: fc.nat(1), on: fc.boolean() }) },
);
const ledgerArb = fc.array(
  fc.record({
    customer: fc.nat(1),
    due: fc.integer({ min: -60, max: 25 }),
    total: fc.integer({ min: 2_000, max: 90_000 }),
  }),
  { minLength: INVOICES, maxLength: INVOICES },
);

describe.each(dialects)('every message relance sends is right, on %s', (dialect) => {
  const store = useStore(dialect);
  let sink: Sink;
  beforeAll(async () => {
    sink = await startSink();
  });
  afterAll(async () => sink.close());

  async function world(db: Db, ledger: { customer: number; due: number; total: number }[], seq: number) {
    const company = await createCompany(db, { legalName: `Prop ${seq}`, ...LETTER_IDENTITY });
    await saveMailSettings(db, company.id, { smtpUrl: sink.url, from: 'relances@prop.fr' });
    const customers = [];
    for (const k of [0, 1]) {
      const customer = await createCustomer(db, company.id, customerInput(`C${k}`));
      await addContact(db, company.id, customer.id, {
        name: null,
        email: `c${k}@client.fr`,
        phone: null,
        role: null,
        isPrimary: true,
      });
      customers.push(customer);
    }
    const invoices = [];
    for (const [i, spec] of ledger.entries()) {
      const due = addDays(START, spec.due);
      invoices.push(
        await createInvoice(
          db,
          company.id,
          customers[spec.customer]!.id,
          invoiceInput(`F${i}`, { total: spec.total, totalExclTax: null, issueDate: addDays(due, -30), dueDate: due }),
        ),
      );
    }
    return { company, customers, invoices };
  }

  async function check(db: Db, companyId: string): Promise<void> {
    const rows = await db
      .selectFrom('reminders as r')
      .innerJoin('invoices as i', (j) =>
        j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'),
      )
      .innerJoin('communications as c', (j) =>
        j.onRef('c.company_id', '=', 'r.company_id').onRef('c.id', '=', 'r.communication_id'),
      )
      .select(['i.number', 'i.due_date', 'r.level', 'r.sent_on', 'r.state', 'c.level as communicationLevel'])
      .select((eb) =>
        eb
          .selectFrom('outbox as o')
          .select('o.status')
          .whereRef('o.company_id', '=', 'c.company_id')
          .whereRef('o.communication_id', '=', 'c.id')
          .limit(1)
          .as('messageStatus'),
      )
      .select('c.channels')
      .where('r.company_id', '=', companyId)
      // A cancelled reminder is kept for the record but counts for nothing.
      .where('r.state', '<>', 'cancelled')
      .orderBy('r.sent_on')
      .orderBy('r.level')
      .execute();
    const byInvoice = new Map<string, number[]>();
    for (const r of rows) {
      expect(r.level, `${r.number} recorded at its communication's level`).toBe(r.communicationLevel);
      // A reminder counts as sent only once its message left: an e-mail accepted by SMTP (or a printed letter).
      if (r.state === 'sent' && !r.channels.split(',').includes('letter'))
        expect(r.messageStatus, `${r.number} level ${r.level} counted as sent before its e-mail left`).toBe('sent');
      if (r.messageStatus === 'sent') expect(r.state, `${r.number} left but not counted`).toBe('sent');
      const step = POLICY.steps[r.level - 1]!;
      if (!isPreReminder(step))
        expect(r.sent_on > r.due_date, `${r.number} level ${r.level} demanded before due`).toBe(true);
      byInvoice.set(r.number, [...(byInvoice.get(r.number) ?? []), r.level]);
    }
    for (const [number, levels] of byInvoice) {
      expect(new Set(levels).size, `${number} has a level twice`).toBe(levels.length);
      for (let k = 1; k < levels.length; k++) expect(levels[k]! > levels[k - 1]!, `${number} levels go up`).toBe(true);
      for (const level of levels) {
        for (let earlier = 1; earlier < level; earlier++) {
          if (isPreReminder(POLICY.steps[earlier - 1]!)) continue;
          expect(
            levels,
            `${number} level ${level}${NOTICE.has(level) ? ' (formal notice)' : ''} without level ${earlier}`,
          ).toContain(earlier);
        }
      }
    }
  }

  it('holds over random ledgers and sequences', async () => {
    const { db } = store();
    let seq = 0;
    const seenIds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(ledgerArb, fc.array(actionArb, { minLength: 3, maxLength: 12 }), async (ledger, actions) => {
        const { company, customers, invoices } = await world(db, ledger, seq++);
        let date = START;
        let credits = 0;
        for (const action of actions) {
          if (action.kind === 'run') {
            date = addDays(date, action.days);
            await runDunning(db, company.id, { date, dataDir: '/tmp/relance-i16-prop' });
          } else if (action.kind === 'dispatch') {
            // What is owed and remindable right now, before the messages leave.
            const state = new Map(
              (
                await db
                  .selectFrom('invoices as i')
                  .innerJoin('customers as c', (j) =>
                    j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
                  )
                  .select(['i.id', 'i.total', 'i.allocated', 'i.disputed', 'c.dunning_blocked_reason'])
                  .where('i.company_id', '=', company.id)
                  .execute()
              ).map((r) => [r.id, r]),
            );
            const before = sink.received.length;
            await dispatchOutbox(db, company.id, { dataDir: '/tmp/relance-i16-prop' });
            for (const received of sink.received.slice(before)) {
              expect(seenIds.has(received.messageId!), 'a message sent twice').toBe(false);
              seenIds.add(received.messageId!);
              const message = await db
                .selectFrom('outbox')
                .select(['communication_id'])
                .where('company_id', '=', company.id)
                .where('message_id', '=', received.messageId!)
                .executeTakeFirstOrThrow();
              const ids = await db
                .selectFrom('reminders')
                .select('invoice_id')
                .where('company_id', '=', company.id)
                .where('communication_id', '=', message.communication_id!)
                .execute();
              expect(ids.length, 'a message left without its reminders').toBeGreaterThan(0);
              for (const { invoice_id } of ids) {
                const s = state.get(invoice_id)!;
                expect(
                  s.allocated < s.total && s.disputed === 0 && s.dunning_blocked_reason === null,
                  'a message left for an invoice settled, disputed or held',
                ).toBe(true);
              }
            }
          } else {
            const invoice = invoices['invoice' in action ? action.invoice : 0]!;
            const current = await db
              .selectFrom('invoices')
              .select(['total', 'allocated', 'customer_id'])
              .where('id', '=', invoice.id)
              .executeTakeFirstOrThrow();
            const left = current.total - current.allocated;
            if (action.kind === 'pay' && left > 0) {
              const amount = action.full ? left : Math.max(1, Math.floor(left / 3));
              await insertPayment(db, company.id, {
                customerId: current.customer_id,
                date,
                currency: 'EUR',
                amount,
                method: 'transfer',
                reference: null,
                allocations: [{ invoiceId: invoice.id, amount }],
              });
            } else if (action.kind === 'credit' && left > 0) {
              await insertCreditNote(db, company.id, {
                number: `AV${credits++}`,
                customerId: current.customer_id,
                date,
                currency: 'EUR',
                total: left,
                reason: null,
                allocations: [{ invoiceId: invoice.id, amount: left }],
              });
            } else if (action.kind === 'dispute') {
              await setDispute(db, company.id, invoice.number, 'contesté');
            } else if (action.kind === 'block') {
              await setCustomerDunning(db, company.id, customers[action.customer]!.code, {
                blockedReason: action.on ? 'en discussion' : null,
              });
            }
          }
          await check(db, company.id);
        }
      }),
      { numRuns: Number(process.env.RELANCE_PROP_RUNS ?? 12) },
    );
    // Not vacuous: messages did leave along the way.
    expect(seenIds.size).toBeGreaterThan(0);
  }, 240_000);
});
