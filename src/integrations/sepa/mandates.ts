import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nowIso, type Db } from '../../storage/database.ts';
import { getCustomerByCode } from '../../storage/customers.ts';
import { parseDate, type IsoDate } from '../../domain/calendar.ts';
import { isMandateReference, parseBic, parseCreditorId, parseIban } from './identifiers.ts';

function valid<T>(
  result:
    { ok: true; value: T } | { ok: false; reason: string; code?: string; params?: Record<string, string | number> },
  field: string,
): T {
  if (!result.ok)
    throw new AppError(
      'invalid_input',
      `${field}: ${result.reason}.`,
      [
        {
          field,
          reason: result.reason,
          code: result.code ?? 'problem.asWritten',
          params: result.params ?? { text: result.reason },
        },
      ],
      {
        key: 'problem.option',
        params: { option: field, why: result.code ?? 'problem.asWritten', text: result.reason, ...result.params },
      },
    );
  return result.value;
}

/** The company's SEPA creditor identifier (ICS), needed for every direct debit. */
export async function setCreditorId(db: Db, companyId: string, creditorId: string): Promise<string> {
  const id = valid(parseCreditorId(creditorId), 'creditor-id');
  await db
    .insertInto('sepa_settings')
    .values({ company_id: companyId, id: newId(), creditor_id: id, updated_at: nowIso() })
    .onConflict((oc) => oc.column('company_id').doUpdateSet({ creditor_id: id, updated_at: nowIso() }))
    .execute();
  return id;
}

export async function getCreditorId(db: Db, companyId: string): Promise<string | null> {
  const row = await db
    .selectFrom('sepa_settings')
    .select('creditor_id')
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return row?.creditor_id ?? null;
}

export type MandateInput = {
  customerCode: string;
  reference: string;
  iban: string;
  bic?: string | null;
  signedOn: string;
};
export type Mandate = {
  id: string;
  customerCode: string;
  customerName: string;
  reference: string;
  iban: string;
  bic: string | null;
  signedOn: IsoDate;
  firstDebitOn: IsoDate | null;
  revokedOn: IsoDate | null;
};

/** Records a customer's signed mandate (RUM, IBAN, date of signature); its first debit will be FRST. */
export async function addMandate(db: Db, companyId: string, input: MandateInput): Promise<Mandate> {
  const customer = await getCustomerByCode(db, companyId, input.customerCode);
  const reference = input.reference.trim();
  if (!isMandateReference(reference)) {
    throw new AppError(
      'invalid_input',
      `reference: "${input.reference}" is not a mandate reference (1 to 35 characters among ` +
        `A-Z a-z 0-9 / - ? : ( ) . , ' +, no space, no "/" at either end nor "//").`,
      [],
      { key: 'problem.sepa.mandateReference', params: { value: input.reference } },
    );
  }
  const iban = valid(parseIban(input.iban), 'iban');
  const bic = input.bic ? valid(parseBic(input.bic), 'bic') : null;
  const signedOn = valid(parseDate(input.signedOn), 'signed');
  const taken = await db
    .selectFrom('sepa_mandates')
    .select('id')
    .where('company_id', '=', companyId)
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (taken)
    throw new AppError('conflict', `A mandate with reference ${reference} already exists.`, [], {
      key: 'problem.sepa.mandateExists',
      params: { reference },
    });
  const id = newId();
  await db
    .insertInto('sepa_mandates')
    .values({
      company_id: companyId,
      id,
      customer_id: customer.id,
      reference,
      signed_on: signedOn,
      iban,
      bic,
      first_debit_on: null,
      revoked_on: null,
      created_at: nowIso(),
    })
    .execute();
  return {
    id,
    customerCode: customer.code,
    customerName: customer.name,
    reference,
    iban,
    bic,
    signedOn,
    firstDebitOn: null,
    revokedOn: null,
  };
}

export async function listMandates(db: Db, companyId: string, filter: { salesRep?: string } = {}): Promise<Mandate[]> {
  let query = db
    .selectFrom('sepa_mandates as m')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'm.company_id').onRef('c.id', '=', 'm.customer_id'),
    )
    .select([
      'm.id',
      'c.code',
      'c.name',
      'm.reference',
      'm.iban',
      'm.bic',
      'm.signed_on',
      'm.first_debit_on',
      'm.revoked_on',
    ])
    .where('m.company_id', '=', companyId);
  if (filter.salesRep) query = query.where('c.sales_rep', '=', filter.salesRep);
  const rows = await query.orderBy('c.code').orderBy('m.reference').execute();
  return rows.map((r) => ({
    id: r.id,
    customerCode: r.code,
    customerName: r.name,
    reference: r.reference,
    iban: r.iban,
    bic: r.bic,
    signedOn: r.signed_on,
    firstDebitOn: r.first_debit_on,
    revokedOn: r.revoked_on,
  }));
}

/** A revoked mandate is kept (its debits refer to it) but debits no more. */
export async function revokeMandate(db: Db, companyId: string, reference: string, date: IsoDate): Promise<void> {
  const result = await db
    .updateTable('sepa_mandates')
    .set({ revoked_on: date })
    .where('company_id', '=', companyId)
    .where('reference', '=', reference)
    .where('revoked_on', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new AppError('not_found', `No active mandate with reference ${reference}.`, [], {
      key: 'problem.notFound.mandate',
      params: { reference },
    });
}
