import type { IsoDate } from '../domain/calendar.ts';
import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import { nowIso, type Db } from './database.ts';

/** A cheque recorded as a payment, with its customer, as a remittance slip lists it. */
export type ChequeLine = {
  paymentId: string;
  date: IsoDate;
  amount: number;
  currency: string;
  reference: string | null;
  customerCode: string;
  customerName: string;
};
export type ChequeRemittance = {
  id: string;
  number: number;
  depositedOn: IsoDate;
  currency: string;
  total: number;
  cheques: number;
  createdBy: string | null;
  createdAt: string;
};

function chequeLines(db: Db, companyId: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'p.company_id').onRef('c.id', '=', 'p.customer_id'),
    )
    .select(['p.id', 'p.date', 'p.amount', 'p.currency', 'p.reference', 'c.code', 'c.name'])
    .where('p.company_id', '=', companyId)
    .where('p.method', '=', 'cheque');
}

const toLine = (r: {
  id: string;
  date: string;
  amount: number;
  currency: string;
  reference: string | null;
  code: string;
  name: string;
}): ChequeLine => ({
  paymentId: r.id,
  date: r.date,
  amount: Number(r.amount),
  currency: r.currency,
  reference: r.reference,
  customerCode: r.code,
  customerName: r.name,
});

/** Cheques recorded and not yet on a slip, oldest first (a restricted collector sees its représentant's). */
export async function listWaitingCheques(
  db: Db,
  companyId: string,
  filter: { salesRep?: string } = {},
): Promise<ChequeLine[]> {
  let query = chequeLines(db, companyId).where('p.remittance_id', 'is', null);
  if (filter.salesRep) query = query.where('c.sales_rep', '=', filter.salesRep);
  const rows = await query.orderBy('p.date').orderBy('p.id').limit(2000).execute();
  return rows.map(toLine);
}

/** The waiting cheques among `paymentIds`: each one must exist, be a cheque and not be on a slip yet. */
export async function waitingChequesByIds(db: Db, companyId: string, paymentIds: string[]): Promise<ChequeLine[]> {
  const ids = paymentIds.filter(isId);
  const rows =
    ids.length === 0
      ? []
      : await chequeLines(db, companyId).where('p.id', 'in', ids).where('p.remittance_id', 'is', null).execute();
  const found = new Set(rows.map((r) => r.id));
  const missing = paymentIds.findIndex((id) => !found.has(id));
  if (missing >= 0)
    throw new AppError(
      'invalid_input',
      `paymentIds.${missing}: no cheque waiting to be remitted with this id.`,
      [
        {
          field: `paymentIds.${missing}`,
          reason: 'no cheque waiting to be remitted with this id',
          code: 'reason.chequeNotWaiting',
        },
      ],
      { key: 'problem.cheques.notWaiting', params: { id: missing } },
    );
  return rows.map(toLine);
}

/** Records a slip with the next number of the company and puts the cheques on it. */
export async function insertRemittance(
  db: Db,
  companyId: string,
  input: { depositedOn: IsoDate; currency: string; cheques: ChequeLine[]; createdBy: string | null },
): Promise<ChequeRemittance> {
  const last = await db
    .selectFrom('cheque_remittances')
    .select((eb) => eb.fn.max<number | null>('number').as('n'))
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  const row = {
    company_id: companyId,
    id: newId(),
    number: Number(last?.n ?? 0) + 1,
    deposited_on: input.depositedOn,
    currency: input.currency,
    total: input.cheques.reduce((s, c) => s + c.amount, 0),
    cheques: input.cheques.length,
    created_by: input.createdBy,
    created_at: nowIso(),
  };
  await db.insertInto('cheque_remittances').values(row).execute();
  const updated = await db
    .updateTable('payments')
    .set({ remittance_id: row.id })
    .where('company_id', '=', companyId)
    .where(
      'id',
      'in',
      input.cheques.map((c) => c.paymentId),
    )
    .where('remittance_id', 'is', null)
    .executeTakeFirst();
  // Another slip took one of them meanwhile: the caller's transaction is rolled back.
  if (Number(updated.numUpdatedRows) !== input.cheques.length)
    throw new AppError('conflict', 'A cheque of this slip was remitted meanwhile; nothing was recorded.', [], {
      key: 'problem.cheques.remittedMeanwhile',
    });
  return toRemittance(row);
}

function toRemittance(r: {
  id: string;
  number: number;
  deposited_on: string;
  currency: string;
  total: number;
  cheques: number;
  created_by: string | null;
  created_at: string;
}): ChequeRemittance {
  return {
    id: r.id,
    number: Number(r.number),
    depositedOn: r.deposited_on,
    currency: r.currency,
    total: Number(r.total),
    cheques: Number(r.cheques),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/**
 * Slips listing a cheque of a customer outside `salesRep` (a restricted collector's représentant): such a slip is not
 * shown to that collector, since its lines name another représentant's customers.
 */
function othersOnSlip(db: Db, companyId: string, salesRep: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'p.company_id').onRef('c.id', '=', 'p.customer_id'),
    )
    .select('p.remittance_id')
    .where('p.company_id', '=', companyId)
    .where('p.remittance_id', 'is not', null)
    .where((eb) => eb.or([eb('c.sales_rep', 'is', null), eb('c.sales_rep', '!=', salesRep)]));
}

/** The slips recorded, the latest first (for a restricted collector, those of its représentant's customers only). */
export async function listRemittances(
  db: Db,
  companyId: string,
  filter: { salesRep?: string; limit?: number } = {},
): Promise<ChequeRemittance[]> {
  let query = db
    .selectFrom('cheque_remittances')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('number', 'desc')
    .limit(filter.limit ?? 200);
  if (filter.salesRep) query = query.where('id', 'not in', othersOnSlip(db, companyId, filter.salesRep));
  const rows = await query.execute();
  return rows.map(toRemittance);
}

/** One slip with its cheques, in the order they are listed on it. */
export async function getRemittance(
  db: Db,
  companyId: string,
  id: string,
  filter: { salesRep?: string } = {},
): Promise<ChequeRemittance & { lines: ChequeLine[] }> {
  let query = db.selectFrom('cheque_remittances').selectAll().where('company_id', '=', companyId).where('id', '=', id);
  if (filter.salesRep) query = query.where('id', 'not in', othersOnSlip(db, companyId, filter.salesRep));
  const row = isId(id) ? await query.executeTakeFirst() : undefined;
  if (!row)
    throw new AppError('not_found', `No cheque remittance slip with id ${id}.`, [], {
      key: 'problem.notFound.chequeSlip',
      params: { id },
    });
  const lines = await chequeLines(db, companyId)
    .where('p.remittance_id', '=', row.id)
    .orderBy('p.date')
    .orderBy('p.id')
    .execute();
  return { ...toRemittance(row), lines: lines.map(toLine) };
}

/** The number of the slip a payment is on, or null (a remitted cheque is not removed as a mistake). */
export async function remittanceNumberOf(db: Db, companyId: string, paymentId: string): Promise<number | null> {
  const row = await db
    .selectFrom('payments as p')
    .innerJoin('cheque_remittances as r', (j) =>
      j.onRef('r.company_id', '=', 'p.company_id').onRef('r.id', '=', 'p.remittance_id'),
    )
    .select('r.number')
    .where('p.company_id', '=', companyId)
    .where('p.id', '=', paymentId)
    .executeTakeFirst();
  return row ? Number(row.number) : null;
}
