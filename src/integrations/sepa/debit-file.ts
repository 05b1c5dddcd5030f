import { AppError } from '../../shared/errors.ts';
import type { Db } from '../../storage/database.ts';
import { getCompany } from '../../storage/companies.ts';
import { parseBic, parseIban } from './identifiers.ts';
import { getCreditorId } from './mandates.ts';
import { buildPain008 } from './pain008.ts';

export type DebitBatch = {
  messageId: string;
  collectionDate: string;
  total: number;
  debits: {
    invoice: string;
    customer: string;
    amount: number;
    sequenceType: 'FRST' | 'RCUR';
    endToEndId: string;
    status: string;
  }[];
};

/**
 * The pain.008 document of a recorded batch, built from its direct_debits rows alone (dated by their
 * creation), so the file written with the records and one made again later are the same: a file lost
 * after its records were committed is made again with `relance sepa file`, never collected a second time.
 */
export async function debitBatchFile(
  db: Db,
  companyId: string,
  messageId: string,
): Promise<{ xml: string; batch: DebitBatch }> {
  const rows = await db
    .selectFrom('direct_debits as d')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'd.company_id').onRef('i.id', '=', 'd.invoice_id'))
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'd.company_id').onRef('c.id', '=', 'd.customer_id'),
    )
    .innerJoin('sepa_mandates as m', (j) =>
      j.onRef('m.company_id', '=', 'd.company_id').onRef('m.id', '=', 'd.mandate_id'),
    )
    .select([
      'd.end_to_end_id',
      'd.amount',
      'd.sequence_type',
      'd.collection_date',
      'd.status',
      'd.created_at',
      'i.number',
      'c.code',
      'c.name',
      'm.reference',
      'm.signed_on',
      'm.iban',
      'm.bic',
    ])
    .where('d.company_id', '=', companyId)
    .where('d.batch_id', '=', messageId)
    .orderBy('c.code')
    .orderBy('i.number')
    .execute();
  if (rows.length === 0)
    throw new AppError('not_found', `No direct-debit file ${messageId}.`, [], {
      key: 'problem.notFound.debitFile',
      params: { id: messageId },
    });
  const company = await getCompany(db, companyId);
  const creditorId = await getCreditorId(db, companyId);
  const iban = company.iban ? parseIban(company.iban) : null;
  if (!creditorId || !iban?.ok)
    throw new AppError('invalid_input', 'The company has no creditor identifier or no valid IBAN.', [], {
      key: 'problem.sepa.noCreditor',
    });
  const bic = company.bic ? parseBic(company.bic) : null;
  const first = rows[0]!;
  const xml = buildPain008({
    messageId,
    createdAt: new Date(first.created_at).toISOString().slice(0, 19),
    collectionDate: first.collection_date,
    creditor: { name: company.legalName, iban: iban.value, bic: bic?.ok ? bic.value : null, creditorId },
    debits: rows.map((r) => ({
      endToEndId: r.end_to_end_id,
      amount: r.amount,
      mandateReference: r.reference,
      mandateSignedOn: r.signed_on,
      sequenceType: r.sequence_type,
      debtorName: r.name,
      debtorIban: r.iban,
      debtorBic: r.bic,
      remittance: `Facture ${r.number}`,
    })),
  });
  return {
    xml,
    batch: {
      messageId,
      collectionDate: first.collection_date,
      total: rows.reduce((s, r) => s + r.amount, 0),
      debits: rows.map((r) => ({
        invoice: r.number,
        customer: r.code,
        amount: r.amount,
        sequenceType: r.sequence_type,
        endToEndId: r.end_to_end_id,
        status: r.status,
      })),
    },
  };
}

/** The direct-debit files recorded, newest collection first, with their totals and how many are settled. */
export async function listDebitBatches(
  db: Db,
  companyId: string,
): Promise<{ messageId: string; collectionDate: string; debits: number; total: number; pending: number }[]> {
  const rows = await db
    .selectFrom('direct_debits')
    .select((eb) => [
      'batch_id',
      'collection_date',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('amount').as('total'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(1).else(0).end()).as('pending'),
    ])
    .where('company_id', '=', companyId)
    .groupBy(['batch_id', 'collection_date'])
    .orderBy('collection_date', 'desc')
    .orderBy('batch_id')
    .execute();
  return rows.map((r) => ({
    messageId: r.batch_id,
    collectionDate: r.collection_date,
    debits: Number(r.n),
    total: Number(r.total),
    pending: Number(r.pending),
  }));
}

/** Debits sent to the bank and not settled yet: their invoices wait on them instead of being reminded. */
export async function listPendingDebits(
  db: Db,
  companyId: string,
  filter: { salesRep?: string } = {},
): Promise<
  {
    messageId: string;
    collectionDate: string;
    invoiceId: string;
    invoice: string;
    customer: string;
    customerName: string;
    amount: number;
    sequenceType: 'FRST' | 'RCUR';
  }[]
> {
  let query = db
    .selectFrom('direct_debits as d')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'd.company_id').onRef('i.id', '=', 'd.invoice_id'))
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'd.company_id').onRef('c.id', '=', 'd.customer_id'),
    )
    .select([
      'd.batch_id',
      'd.collection_date',
      'd.invoice_id',
      'd.amount',
      'd.sequence_type',
      'i.number',
      'c.code',
      'c.name',
    ])
    .where('d.company_id', '=', companyId)
    .where('d.status', '=', 'pending');
  if (filter.salesRep) query = query.where('c.sales_rep', '=', filter.salesRep);
  const rows = await query.orderBy('d.collection_date').orderBy('c.code').orderBy('i.number').limit(2000).execute();
  return rows.map((r) => ({
    messageId: r.batch_id,
    collectionDate: r.collection_date,
    invoiceId: r.invoice_id,
    invoice: r.number,
    customer: r.code,
    customerName: r.name,
    amount: Number(r.amount),
    sequenceType: r.sequence_type,
  }));
}
