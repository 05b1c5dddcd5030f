import type { Db } from '../../src/storage/database.ts';

/**
 * What an import left in the ledger, by natural keys (codes, numbers, import keys) rather than generated ids and
 * timestamps, sorted: two ways of writing the same file (one statement a row, or in bulk) must give equal snapshots.
 */
export async function ledgerSnapshot(db: Db, companyId: string) {
  const customers = await db
    .selectFrom('customers')
    .select(['id', 'code', 'name', 'kind', 'siren', 'vat_number', 'country', 'language', 'search_text'])
    .where('company_id', '=', companyId)
    .orderBy('code')
    .execute();
  const codes = new Map(customers.map((c) => [c.id, c.code]));
  const invoices = await db
    .selectFrom('invoices')
    .select([
      'id',
      'number',
      'customer_id',
      'issue_date',
      'due_date',
      'currency',
      'total',
      'allocated',
      'status',
      'next_action_date',
      'promise_to_pay_date',
    ])
    .where('company_id', '=', companyId)
    .orderBy('number')
    .execute();
  const numbers = new Map(invoices.map((i) => [i.id, i.number]));
  const payments = await db
    .selectFrom('payments')
    .select(['id', 'customer_id', 'date', 'currency', 'amount', 'method', 'reference', 'import_key'])
    .where('company_id', '=', companyId)
    .execute();
  const paymentKeys = new Map(payments.map((p) => [p.id, p.import_key ?? p.reference]));
  const notes = await db
    .selectFrom('credit_notes')
    .select(['id', 'number', 'customer_id', 'date', 'currency', 'total', 'reason'])
    .where('company_id', '=', companyId)
    .execute();
  const noteNumbers = new Map(notes.map((n) => [n.id, n.number]));
  const allocations = await db
    .selectFrom('allocations')
    .select(['invoice_id', 'payment_id', 'credit_note_id', 'date', 'amount'])
    .where('company_id', '=', companyId)
    .execute();
  const deliveries = await db
    .selectFrom('webhook_deliveries')
    .select(['event', 'status', 'payload'])
    .where('company_id', '=', companyId)
    .execute();
  const audit = await db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'target', 'details'])
    .where('company_id', '=', companyId)
    .execute();
  const bankLines = await db
    .selectFrom('bank_lines')
    .select(['import_key', 'booking_date', 'amount', 'currency', 'counterparty', 'reference', 'status'])
    .select(['invoice_id', 'payment_id', 'file_name'])
    .where('company_id', '=', companyId)
    .execute();
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    customers: sorted(customers.map(({ id: _id, ...c }) => c)),
    invoices: sorted(invoices.map(({ id: _id, customer_id, ...i }) => ({ ...i, customer: codes.get(customer_id) }))),
    payments: sorted(
      payments.map(({ id: _id, customer_id, ...p }) => ({
        ...p,
        amount: Number(p.amount),
        customer: codes.get(customer_id),
      })),
    ),
    creditNotes: sorted(notes.map(({ id: _id, customer_id, ...n }) => ({ ...n, customer: codes.get(customer_id) }))),
    allocations: sorted(
      allocations.map((a) => ({
        invoice: numbers.get(a.invoice_id),
        payment: a.payment_id ? paymentKeys.get(a.payment_id) : null,
        creditNote: a.credit_note_id ? noteNumbers.get(a.credit_note_id) : null,
        date: a.date,
        amount: Number(a.amount),
      })),
    ),
    webhooks: sorted(
      deliveries.map((d) => {
        const { data } = JSON.parse(d.payload) as { data: { invoiceId?: string } };
        return { event: d.event, status: d.status, data: { ...data, invoiceId: numbers.get(data.invoiceId ?? '') } };
      }),
    ),
    audit: sorted(audit.map((a) => ({ ...a, details: a.details === null ? null : JSON.parse(a.details) }))),
    bankLines: sorted(
      bankLines.map(({ invoice_id, payment_id, ...b }) => ({
        ...b,
        amount: Number(b.amount),
        invoice: invoice_id ? numbers.get(invoice_id) : null,
        payment: payment_id ? paymentKeys.get(payment_id) : null,
      })),
    ),
  };
}
