import { sql } from 'kysely';
import type { IsoDate } from '../domain/calendar.ts';
import type { DunningInput, SentReminder } from '../domain/dunning/engine.ts';
import { defaultPolicy, parsePolicy, type Policy } from '../domain/dunning/policy.ts';
import type { Db } from '../storage/database.ts';
import { listPolicies } from '../storage/dunning.ts';
import { isOpenInvoice } from '../storage/open-invoice.ts';
import { groupBy } from '../shared/group-by.ts';

export type InputFilter = {
  customerCode?: string;
  invoiceNumbers?: string[];
  /** Only invoices whose next-action date has come (or is unknown): what a daily run must look at. */
  dueBy?: IsoDate;
};

/** `updatedAt` is what the invoice looked like when read, to guard the next-action date written back. */
export type LoadedInput = DunningInput & { invoiceId: string; updatedAt: string; customerCountry: string;
  customerKind: 'company' | 'individual' };

/** The company's policies by id, and the one used for customers without their own. */
export async function loadPolicies(db: Db, companyId: string): Promise<{ byId: Map<string, Policy>; fallback: Policy }> {
  const stored = await listPolicies(db, companyId);
  const byId = new Map(stored.map((p) => [p.id, parsePolicy(p.definition)]));
  const fallbackStored = stored.find((p) => p.isDefault);
  return { byId, fallback: fallbackStored ? byId.get(fallbackStored.id)! : defaultPolicy() };
}

/**
 * Reads what the planner needs for the open invoices (balance above zero, not cancelled): each invoice,
 * its customer's holds and contacts, and the reminders it already received.
 */
export async function loadDunningInputs(db: Db, companyId: string, filter: InputFilter = {}): Promise<LoadedInput[]> {
  const policies = await loadPolicies(db, companyId);
  let query = db.selectFrom('invoices as i')
    .innerJoin('customers as c', (j) => j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'))
    .select(['i.id', 'i.number', 'i.customer_id', 'i.issue_date', 'i.due_date', 'i.currency', 'i.total', 'i.allocated',
      'i.status', 'i.updated_at', 'i.disputed', 'i.dispute_reason', 'i.promise_to_pay_date', 'c.code', 'c.policy_id',
      'c.dunning_paused_until', 'c.dunning_blocked_reason', 'c.address_line1', 'c.city', 'c.country', 'c.kind'])
    .select((eb) => eb.exists(eb.selectFrom('contacts as k').select(sql.lit(1).as('one'))
      .whereRef('k.company_id', '=', 'c.company_id').whereRef('k.customer_id', '=', 'c.id')
      .where('k.email', 'is not', null)).as('has_email'))
    .where('i.company_id', '=', companyId)
    .where(isOpenInvoice('i'));
  if (filter.customerCode) query = query.where('c.code', '=', filter.customerCode);
  if (filter.invoiceNumbers?.length) query = query.where('i.number', 'in', filter.invoiceNumbers);
  if (filter.dueBy) {
    const dueBy = filter.dueBy;
    query = query.where((eb) => eb.or([eb('i.next_action_date', 'is', null), eb('i.next_action_date', '<=', dueBy)]));
  }
  const rows = await query.execute();
  if (rows.length === 0) return [];

  let history = db.selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .select(['r.invoice_id', 'r.level', 'r.sent_on'])
    .where('r.company_id', '=', companyId).where(isOpenInvoice('i'));
  if (rows.length <= 500) history = history.where('r.invoice_id', 'in', rows.map((r) => r.id));
  const reminders = groupBy(await history.execute(), (r) => r.invoice_id, (r): SentReminder => ({ level: r.level, date: r.sent_on }));

  return rows.map((row) => ({
    invoiceId: row.id,
    updatedAt: row.updated_at,
    customerCountry: row.country,
    customerKind: row.kind as 'company' | 'individual',
    invoice: {
      number: row.number, customerId: row.customer_id, customerCode: row.code, issueDate: row.issue_date,
      dueDate: row.due_date, currency: row.currency, total: row.total, allocated: row.allocated,
      status: row.status as 'issued', disputed: row.disputed === 1, disputeReason: row.dispute_reason,
      promiseToPayDate: row.promise_to_pay_date,
    },
    reminders: reminders.get(row.id) ?? [],
    customer: {
      pausedUntil: row.dunning_paused_until ?? null,
      blockedReason: row.dunning_blocked_reason ?? null,
      hasEmail: Boolean(row.has_email),
      hasPostalAddress: Boolean(row.address_line1 && row.city),
    },
    policy: (row.policy_id && policies.byId.get(row.policy_id)) || policies.fallback,
  }));
}
