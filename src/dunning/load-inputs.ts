import type { IsoDate } from '../domain/calendar.ts';
import type { CustomerState, DunningInput, SentReminder } from '../domain/dunning/engine.ts';
import { defaultPolicy, parsePolicy, type Policy } from '../domain/dunning/policy.ts';
import type { Db } from '../storage/database.ts';
import { listPolicies } from '../storage/dunning.ts';
import { isOpenInvoice } from '../storage/open-invoice.ts';
import { groupBy } from '../shared/group-by.ts';
import { scheduledDueDates } from '../integrations/follow-ups/schedule-due.ts';

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

type CustomerFacts = { code: string; policyId: string | null; country: string; kind: 'company' | 'individual';
  state: CustomerState };

/** The customers of the invoices read: a few by id, or all of the company's when the invoices are many. */
async function loadCustomers(db: Db, companyId: string, ids: string[], customerCode?: string): Promise<Map<string, CustomerFacts>> {
  let query = db.selectFrom('customers').select(['id', 'code', 'policy_id', 'dunning_paused_until', 'dunning_blocked_reason',
    'address_line1', 'city', 'country', 'kind']).where('company_id', '=', companyId);
  // A bounced address does not count: a customer left with none is planned for letters (issue 5).
  let contacts = db.selectFrom('contacts').select('customer_id').distinct()
    .where('company_id', '=', companyId).where('email', 'is not', null).where('email_bounced_at', 'is', null);
  if (customerCode !== undefined) query = query.where('code', '=', customerCode);
  if (ids.length <= 1000) {
    query = query.where('id', 'in', ids);
    contacts = contacts.where('customer_id', 'in', ids);
  }
  const [rows, reachable] = await Promise.all([query.execute(), contacts.execute()]);
  const withEmail = new Set(reachable.map((r) => r.customer_id));
  return new Map(rows.map((c) => [c.id, {
    code: c.code, policyId: c.policy_id, country: c.country, kind: c.kind as 'company' | 'individual',
    // One state object per customer, shared by its invoices.
    state: { pausedUntil: c.dunning_paused_until ?? null, blockedReason: c.dunning_blocked_reason ?? null,
      hasEmail: withEmail.has(c.id), hasPostalAddress: Boolean(c.address_line1 && c.city) },
  }]));
}

const NO_REMINDERS: SentReminder[] = Object.freeze([]) as unknown as SentReminder[];

/**
 * Reads what the planner needs for the open invoices (balance above zero, not cancelled): each invoice,
 * its customer's holds and contacts, and the reminders it already received.
 *
 * A plan reads hundreds of thousands of invoices, so this is shaped for it: customers are read once rather
 * than joined to every invoice, customers share one state object among their invoices, and invoices without
 * history share one empty list (the garbage collector was the largest cost of a plan).
 */
export async function loadDunningInputs(db: Db, companyId: string, filter: InputFilter = {}): Promise<LoadedInput[]> {
  const policies = await loadPolicies(db, companyId);
  let query = db.selectFrom('invoices as i')
    .select(['i.id as invoiceId', 'i.updated_at as updatedAt', 'i.number', 'i.customer_id as customerId',
      'i.issue_date as issueDate', 'i.due_date as dueDate', 'i.currency', 'i.total', 'i.allocated', 'i.status',
      'i.disputed', 'i.dispute_reason as disputeReason', 'i.promise_to_pay_date as promiseToPayDate'])
    .where('i.company_id', '=', companyId)
    .where(isOpenInvoice('i'));
  if (filter.customerCode) {
    const code = filter.customerCode;
    query = query.where('i.customer_id', 'in', (eb) => eb.selectFrom('customers').select('id')
      .where('company_id', '=', companyId).where('code', '=', code));
  }
  if (filter.invoiceNumbers?.length) query = query.where('i.number', 'in', filter.invoiceNumbers);
  if (filter.dueBy) {
    const dueBy = filter.dueBy;
    query = query.where((eb) => eb.or([eb('i.next_action_date', 'is', null), eb('i.next_action_date', '<=', dueBy)]));
  }
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const customers = await loadCustomers(db, companyId, [...new Set(rows.map((r) => r.customerId))], filter.customerCode);
  // An invoice on a payment schedule (échéancier) is late from its first unpaid instalment, not its own due date.
  const scheduled = await scheduledDueDates(db, companyId, rows);

  let history = db.selectFrom('reminders as r')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .select(['r.invoice_id', 'r.level', 'r.sent_on'])
    .where('r.company_id', '=', companyId).where(isOpenInvoice('i'));
  if (rows.length <= 500) history = history.where('r.invoice_id', 'in', rows.map((r) => r.invoiceId));
  const reminders = groupBy(await history.execute(), (r) => r.invoice_id, (r): SentReminder => ({ level: r.level, date: r.sent_on }));

  const inputs: LoadedInput[] = [];
  for (const row of rows) {
    const customer = customers.get(row.customerId);
    if (!customer) continue; // deleted between the two reads; the next plan sees the ledger settled
    const invoice = {
      number: row.number, customerId: row.customerId, customerCode: customer.code, issueDate: row.issueDate,
      dueDate: scheduled.get(row.invoiceId) ?? row.dueDate, currency: row.currency, total: row.total, allocated: row.allocated, status: 'issued' as const,
      disputed: row.disputed === 1, disputeReason: row.disputeReason, promiseToPayDate: row.promiseToPayDate,
    };
    inputs.push({
      invoiceId: row.invoiceId, updatedAt: row.updatedAt, customerCountry: customer.country, customerKind: customer.kind,
      invoice, reminders: reminders.get(row.invoiceId) ?? NO_REMINDERS, customer: customer.state,
      policy: (customer.policyId && policies.byId.get(customer.policyId)) || policies.fallback,
    });
  }
  return inputs;
}
