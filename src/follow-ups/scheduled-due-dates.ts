import type { IsoDate } from '../domain/calendar.ts';
import type { Db } from '../storage/database.ts';
import { inIds } from '../storage/in-list.ts';
import { dueInstalments } from './plan.ts';

/**
 * For the dunning engine: the due date an invoice on a payment schedule is late from, which is that of
 * its first unpaid instalment rather than its own. `invoices` are the open invoices being planned; only
 * those with a schedule get an entry.
 */
export async function scheduledDueDates(
  db: Db,
  companyId: string,
  invoices: { invoiceId: string; number: string; customerId: string; total: number; allocated: number }[],
): Promise<Map<string, IsoDate>> {
  const result = new Map<string, IsoDate>();
  let query = db
    .selectFrom('payment_schedules as s')
    .innerJoin('instalments as n', (j) =>
      j.onRef('n.company_id', '=', 's.company_id').onRef('n.schedule_id', '=', 's.id'),
    )
    .select(['s.id', 's.invoice_id', 'n.seq', 'n.due_date', 'n.amount'])
    .where('s.company_id', '=', companyId);
  // A daily run's invoices: only theirs; a whole plan: every schedule of the company, which are few.
  if (invoices.length <= 500)
    query = query.where(
      inIds(
        db,
        's.invoice_id',
        invoices.map((i) => i.invoiceId),
      ),
    );
  const rows = await query.execute();
  if (rows.length === 0) return result;
  const wanted = new Set(rows.map((r) => r.invoice_id));
  // A plan passes every open invoice; only the few with a schedule are kept.
  const byInvoice = new Map<string, (typeof invoices)[number]>();
  for (const invoice of invoices) if (wanted.has(invoice.invoiceId)) byInvoice.set(invoice.invoiceId, invoice);
  const schedules = new Map<
    string,
    { scheduleId: string; instalments: { seq: number; dueDate: IsoDate; amount: number }[] }
  >();
  for (const r of rows) {
    if (!byInvoice.has(r.invoice_id)) continue;
    const entry = schedules.get(r.invoice_id) ?? { scheduleId: r.id, instalments: [] };
    entry.instalments.push({ seq: r.seq, dueDate: r.due_date, amount: r.amount });
    schedules.set(r.invoice_id, entry);
  }
  for (const [invoiceId, schedule] of schedules) {
    const invoice = byInvoice.get(invoiceId)!;
    const [first] = dueInstalments([{ ...invoice, ...schedule }], new Set(), '9999-12-31');
    if (first) result.set(invoiceId, first.dueDate);
  }
  return result;
}
