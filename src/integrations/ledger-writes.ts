import type { Transaction } from 'kysely';
import { defaultLanguageFor } from '../domain/countries.ts';
import { nowIso } from '../storage/database.ts';
import type { Database } from '../storage/schema.ts';
import { createCustomer } from '../storage/customers.ts';
import { newId } from '../shared/ids.ts';

type Trx = Transaction<Database>;

export type BuyerIdentity = {
  name: string;
  siren: string | null;
  vatNumber: string | null;
  email: string | null;
  address: {
    line1: string | null;
    line2: string | null;
    postcode: string | null;
    city: string | null;
    country: string;
  };
};

/** A customer code made from the SIREN, else the name (`BOULANGERIE-MARTIN`), made unique with -2, -3… */
async function freeCode(trx: Trx, companyId: string, buyer: BuyerIdentity): Promise<string> {
  const base =
    buyer.siren ??
    (buyer.name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 24) ||
      'CLIENT');
  const taken = new Set(
    (
      await trx
        .selectFrom('customers')
        .select('code')
        .where('company_id', '=', companyId)
        .where('code', 'like', `${base}%`)
        .execute()
    ).map((r) => r.code),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The customer an e-invoice is for: matched by SIREN, then by VAT number (then, for a buyer with neither,
 * by name among customers with neither), else created. Returns its id and whether it was created.
 */
export async function findOrCreateCustomer(
  trx: Trx,
  companyId: string,
  buyer: BuyerIdentity,
): Promise<{ id: string; code: string; created: boolean }> {
  for (const [column, value] of [
    ['siren', buyer.siren],
    ['vat_number', buyer.vatNumber],
  ] as const) {
    if (!value) continue;
    const found = await trx
      .selectFrom('customers')
      .select(['id', 'code'])
      .where('company_id', '=', companyId)
      .where(column, '=', value)
      .orderBy('code')
      .executeTakeFirst();
    if (found) return { ...found, created: false };
  }
  // Without any identifier, a customer of the same name that has none either is taken to be the same one,
  // so that each invoice of a buyer without SIREN or VAT number does not create another customer.
  if (!buyer.siren && !buyer.vatNumber) {
    const found = await trx
      .selectFrom('customers')
      .select(['id', 'code'])
      .where('company_id', '=', companyId)
      .where((eb) => eb(eb.fn('lower', ['name']), '=', buyer.name.toLowerCase()))
      .where('siren', 'is', null)
      .where('vat_number', 'is', null)
      .orderBy('code')
      .executeTakeFirst();
    if (found) return { ...found, created: false };
  }
  const customer = await createCustomer(trx, companyId, {
    code: await freeCode(trx, companyId, buyer),
    name: buyer.name,
    kind: 'company',
    siren: buyer.siren,
    vatNumber: buyer.vatNumber,
    address: buyer.address,
    language: defaultLanguageFor(buyer.address.country),
    salesRep: null,
    paymentTerms: null,
    notes: null,
  });
  return { id: customer.id, code: customer.code, created: true };
}

/** Adds the e-mail as a contact unless the customer already has it; the first contact is the primary one. */
export async function ensureContactEmail(
  trx: Trx,
  companyId: string,
  customerId: string,
  email: string,
): Promise<boolean> {
  const contacts = await trx
    .selectFrom('contacts')
    .select('email')
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .execute();
  if (contacts.some((c) => c.email?.toLowerCase() === email.toLowerCase())) return false;
  await trx
    .insertInto('contacts')
    .values({
      company_id: companyId,
      id: newId(),
      customer_id: customerId,
      name: null,
      email,
      phone: null,
      role: null,
      is_primary: contacts.length === 0 ? 1 : 0,
    })
    .execute();
  await trx
    .updateTable('invoices')
    .set({ next_action_date: null, updated_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .execute();
  return true;
}
