import { isId } from '../shared/ids.ts';
import type { CreditNote, Payment, PaymentMethod } from '../domain/ledger.ts';
import type { Db } from './database.ts';

/** Read side of payments and credit notes (writes are in allocations.ts), newest first, keyset on id. */
export type SettlementFilter = { customerId?: string; customerSalesRep?: string; before?: string; limit?: number };
/** A payments list's own filters: how it was paid, between which dates (inclusive). */
export type PaymentFilter = SettlementFilter & { method?: PaymentMethod; from?: string; to?: string };
export type PaymentListItem = Payment & {
  unallocated: number;
  customerCode: string;
  customerName: string;
  remittanceId: string | null;
};

export async function listPayments(db: Db, companyId: string, filter: PaymentFilter = {}): Promise<PaymentListItem[]> {
  let query = db
    .selectFrom('payments as p')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'p.company_id').onRef('c.id', '=', 'p.customer_id'),
    )
    .selectAll('p')
    .select(['c.code as customer_code', 'c.name as customer_name'])
    .select((eb) =>
      eb
        .selectFrom('allocations as a')
        .whereRef('a.company_id', '=', 'p.company_id')
        .whereRef('a.payment_id', '=', 'p.id')
        .select((ab) => ab.fn.coalesce(ab.fn.sum<number>('a.amount'), ab.lit(0)).as('s'))
        .as('allocated'),
    )
    .where('p.company_id', '=', companyId)
    .orderBy('p.id', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.customerId)
    query = query.where('p.customer_id', '=', isId(filter.customerId) ? filter.customerId : companyId);
  if (filter.customerSalesRep) query = query.where('c.sales_rep', '=', filter.customerSalesRep);
  if (filter.before && isId(filter.before)) query = query.where('p.id', '<', filter.before);
  if (filter.method) query = query.where('p.method', '=', filter.method);
  if (filter.from) query = query.where('p.date', '>=', filter.from);
  if (filter.to) query = query.where('p.date', '<=', filter.to);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    date: r.date,
    currency: r.currency,
    amount: r.amount,
    method: r.method as PaymentMethod,
    reference: r.reference,
    unallocated: r.amount - Number(r.allocated ?? 0),
    customerCode: r.customer_code,
    customerName: r.customer_name,
    remittanceId: r.remittance_id,
  }));
}

export async function getPayment(db: Db, companyId: string, paymentId: string): Promise<Payment | null> {
  if (!isId(paymentId)) return null;
  const r = await db
    .selectFrom('payments')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', paymentId)
    .executeTakeFirst();
  return r
    ? {
        id: r.id,
        customerId: r.customer_id,
        date: r.date,
        currency: r.currency,
        amount: r.amount,
        method: r.method as PaymentMethod,
        reference: r.reference,
      }
    : null;
}

export async function listCreditNotes(db: Db, companyId: string, filter: SettlementFilter = {}): Promise<CreditNote[]> {
  let query = db
    .selectFrom('credit_notes as n')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'n.company_id').onRef('c.id', '=', 'n.customer_id'),
    )
    .selectAll('n')
    .where('n.company_id', '=', companyId)
    .orderBy('n.id', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.customerId)
    query = query.where('n.customer_id', '=', isId(filter.customerId) ? filter.customerId : companyId);
  if (filter.customerSalesRep) query = query.where('c.sales_rep', '=', filter.customerSalesRep);
  if (filter.before && isId(filter.before)) query = query.where('n.id', '<', filter.before);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    customerId: r.customer_id,
    date: r.date,
    currency: r.currency,
    total: r.total,
    reason: r.reason,
  }));
}

export async function findPaymentByImportKey(db: Db, companyId: string, importKey: string): Promise<Payment | null> {
  const r = await db
    .selectFrom('payments')
    .select('id')
    .where('company_id', '=', companyId)
    .where('import_key', '=', importKey)
    .executeTakeFirst();
  return r ? getPayment(db, companyId, r.id) : null;
}
