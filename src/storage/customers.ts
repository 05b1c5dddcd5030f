import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import type { Contact, Customer } from '../domain/ledger.ts';
import { customerSearchText, foldForSearch } from '../domain/search-text.ts';
import { addressFromRow, addressToRow } from './address.ts';
import { insertUnique, nowIso, type Db } from './database.ts';
import type { ContactRow, CustomerRow } from './schema.ts';
import { isOpenInvoice } from './open-invoice.ts';

export type CustomerInput = Omit<Customer, 'id'>;
export type ContactInput = Omit<Contact, 'id' | 'customerId'>;

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as Customer['kind'],
    siren: row.siren,
    vatNumber: row.vat_number,
    address: addressFromRow(row),
    language: row.language as Customer['language'],
    salesRep: row.sales_rep,
    paymentTerms: row.payment_terms,
    notes: row.notes,
  };
}

/** The columns an import or an edit sets, in a fixed order (bulk inserts rely on it). */
export function customerColumns(input: CustomerInput) {
  return {
    code: input.code,
    name: input.name,
    kind: input.kind,
    siren: input.siren,
    vat_number: input.vatNumber,
    ...addressToRow(input.address),
    language: input.language,
    sales_rep: input.salesRep,
    payment_terms: input.paymentTerms,
    notes: input.notes,
    search_text: customerSearchText(input.code, input.name),
  };
}

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    role: row.role,
    isPrimary: row.is_primary === 1,
    emailBouncedAt: row.email_bounced_at ?? null,
    emailBounceReason: row.email_bounce_reason ?? null,
  };
}

/** A new customer's row as createCustomer writes it (bulk imports write many at once). */
export function newCustomerRow(companyId: string, input: CustomerInput, now = nowIso()): CustomerRow {
  return {
    company_id: companyId,
    id: newId(),
    ...customerColumns(input),
    policy_id: null,
    dunning_paused_until: null,
    dunning_blocked_reason: null,
    governing_law: null,
    reply_unread_since: null,
    created_at: now,
    updated_at: now,
  };
}

export async function createCustomer(db: Db, companyId: string, input: CustomerInput): Promise<Customer> {
  const taken = await db
    .selectFrom('customers')
    .select('id')
    .where('company_id', '=', companyId)
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (taken)
    throw new AppError('conflict', `A customer with code ${input.code} already exists.`, [], {
      key: 'problem.customers.codeExists',
      params: { code: input.code },
    });
  const row = newCustomerRow(companyId, input);
  await insertUnique(
    () => db.insertInto('customers').values(row).execute(),
    `A customer with code ${input.code} already exists.`,
    { key: 'problem.customers.codeExists', params: { code: input.code } },
  );
  return toCustomer(row);
}

export async function getCustomerByCode(db: Db, companyId: string, code: string): Promise<Customer> {
  const row = await db
    .selectFrom('customers')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `No customer with code ${code}.`, [], {
      key: 'problem.notFound.customerCode',
      params: { code },
    });
  return toCustomer(row);
}

export async function getCustomer(db: Db, companyId: string, customerId: string): Promise<Customer> {
  if (!isId(customerId))
    throw new AppError('not_found', `No customer with id ${customerId}.`, [], {
      key: 'problem.notFound.customer',
      params: { id: customerId },
    });
  const row = await db
    .selectFrom('customers')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `No customer with id ${customerId}.`, [], {
      key: 'problem.notFound.customer',
      params: { id: customerId },
    });
  return toCustomer(row);
}

export type CustomerListItem = Customer & { email: string | null; openInvoices: number; balance: number };

export type CustomerFilter = { search?: string; salesRep?: string; limit?: number; afterCode?: string };

/** LIKE pattern for search_text containing `text`, folded as it is; LIKE's own wildcards typed by the user match themselves. */
export function containsPattern(text: string): RawBuilder<string> {
  return sql<string>`${`%${foldForSearch(text).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} escape '\\'`;
}

/** Customers by code with their primary e-mail and what they owe (keyset-paginated on code). */
export async function listCustomers(
  db: Db,
  companyId: string,
  filter: CustomerFilter = {},
): Promise<CustomerListItem[]> {
  let query = db
    .selectFrom('customers as c')
    .leftJoin('contacts as p', (j) =>
      j.onRef('p.company_id', '=', 'c.company_id').onRef('p.customer_id', '=', 'c.id').on('p.is_primary', '=', 1),
    )
    .selectAll('c')
    .select('p.email')
    .select((eb) => [
      eb
        .selectFrom('invoices as i')
        .whereRef('i.company_id', '=', 'c.company_id')
        .whereRef('i.customer_id', '=', 'c.id')
        .where(isOpenInvoice('i'))
        .select(eb.fn.countAll<number>().as('n'))
        .as('open_invoices'),
      eb
        .selectFrom('invoices as i')
        .whereRef('i.company_id', '=', 'c.company_id')
        .whereRef('i.customer_id', '=', 'c.id')
        .where('i.status', '=', 'issued')
        .select((ib) => ib.fn.coalesce(ib.fn.sum<number>(ib('i.total', '-', ib.ref('i.allocated'))), ib.lit(0)).as('b'))
        .as('balance'),
    ])
    .where('c.company_id', '=', companyId)
    .orderBy('c.code')
    .limit(filter.limit ?? 1000);
  if (filter.afterCode) query = query.where('c.code', '>', filter.afterCode);
  if (filter.salesRep) query = query.where('c.sales_rep', '=', filter.salesRep);
  if (filter.search) query = query.where('c.search_text', 'like', containsPattern(filter.search));
  const rows = await query.execute();
  return rows.map((row) => ({
    ...toCustomer(row),
    email: row.email,
    openInvoices: Number(row.open_invoices ?? 0),
    balance: Number(row.balance ?? 0),
  }));
}

export async function listContacts(db: Db, companyId: string, customerId: string): Promise<Contact[]> {
  const rows = await db
    .selectFrom('contacts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .orderBy('is_primary', 'desc')
    .orderBy('email')
    .execute();
  return rows.map(toContact);
}

/** Adds a contact; making it primary demotes the previous primary one. */
export async function addContact(db: Db, companyId: string, customerId: string, input: ContactInput): Promise<Contact> {
  await getCustomer(db, companyId, customerId);
  if (input.isPrimary) {
    await db
      .updateTable('contacts')
      .set({ is_primary: 0 })
      .where('company_id', '=', companyId)
      .where('customer_id', '=', customerId)
      .execute();
  }
  const row: ContactRow = {
    company_id: companyId,
    id: newId(),
    customer_id: customerId,
    name: input.name,
    email: input.email,
    phone: input.phone,
    role: input.role,
    is_primary: input.isPrimary ? 1 : 0,
  };
  await db.insertInto('contacts').values(row).execute();
  // An e-mail address may make the customer's invoices remindable by e-mail: the engine looks again.
  await replanCustomer(db, companyId, customerId);
  return toContact(row);
}

/**
 * Changes a contact of a customer. A new e-mail address clears the bounce flag of the old one (it is
 * tried again); making it primary demotes the previous primary one; the customer's invoices go back to
 * the engine, as for a new contact (an address may turn letters back into e-mails).
 */
export async function updateContact(
  db: Db,
  companyId: string,
  customerId: string,
  contactId: string,
  patch: Partial<ContactInput>,
): Promise<Contact> {
  const current = await db
    .selectFrom('contacts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!current)
    throw new AppError('not_found', `No contact with id ${contactId} for this customer.`, [], {
      key: 'problem.notFound.contact',
      params: { id: contactId },
    });
  if (patch.isPrimary) {
    await db
      .updateTable('contacts')
      .set({ is_primary: 0 })
      .where('company_id', '=', companyId)
      .where('customer_id', '=', customerId)
      .execute();
  }
  const emailChanged = patch.email !== undefined && patch.email !== current.email;
  await db
    .updateTable('contacts')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.isPrimary !== undefined ? { is_primary: patch.isPrimary ? 1 : 0 } : {}),
      ...(emailChanged ? { email_bounced_at: null, email_bounce_reason: null } : {}),
    })
    .where('company_id', '=', companyId)
    .where('id', '=', contactId)
    .execute();
  await replanCustomer(db, companyId, customerId);
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
  return toContact(row);
}

export async function removeContact(db: Db, companyId: string, customerId: string, contactId: string): Promise<void> {
  const result = await db
    .deleteFrom('contacts')
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n)
    throw new AppError('not_found', `No contact with id ${contactId} for this customer.`, [], {
      key: 'problem.notFound.contact',
      params: { id: contactId },
    });
  await replanCustomer(db, companyId, customerId);
}

/** code → id and sales rep, for resolving references in bulk (imports, demo data). */
export async function customerIndex(
  db: Db,
  companyId: string,
): Promise<Map<string, { id: string; salesRep: string | null }>> {
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'code', 'sales_rep'])
    .where('company_id', '=', companyId)
    .execute();
  return new Map(rows.map((r) => [r.code, { id: r.id, salesRep: r.sales_rep }]));
}

/** Changes the given fields of a customer; its invoices go back to the engine (language, address may change a send). */
export async function updateCustomer(
  db: Db,
  companyId: string,
  customerId: string,
  input: Partial<CustomerInput>,
): Promise<Customer> {
  const current = await getCustomer(db, companyId, customerId);
  const merged: CustomerInput = { ...current, ...input, address: { ...current.address, ...input.address } };
  if (merged.code !== current.code) {
    const taken = await db
      .selectFrom('customers')
      .select('id')
      .where('company_id', '=', companyId)
      .where('code', '=', merged.code)
      .executeTakeFirst();
    if (taken)
      throw new AppError('conflict', `A customer with code ${merged.code} already exists.`, [], {
        key: 'problem.customers.codeExists',
        params: { code: merged.code },
      });
  }
  const now = nowIso();
  await insertUnique(
    () =>
      db
        .updateTable('customers')
        .set({ ...customerColumns(merged), updated_at: now })
        .where('company_id', '=', companyId)
        .where('id', '=', customerId)
        .execute(),
    `A customer with code ${merged.code} already exists.`,
    { key: 'problem.customers.codeExists', params: { code: merged.code } },
  );
  await db
    .updateTable('invoices')
    .set({ next_action_date: null, updated_at: now })
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .execute();
  return getCustomer(db, companyId, customerId);
}

/** The customer's own dunning settings: its policy (by name), pause, block and "loi applicable" (null: the default rule). */
export async function getCustomerHold(
  db: Db,
  companyId: string,
  customerId: string,
): Promise<{ policy: string | null; pausedUntil: string | null; blockedReason: string | null; law: string | null }> {
  const row = await db
    .selectFrom('customers as c')
    .leftJoin('policies as p', (j) => j.onRef('p.company_id', '=', 'c.company_id').onRef('p.id', '=', 'c.policy_id'))
    .select(['p.name', 'c.dunning_paused_until', 'c.dunning_blocked_reason', 'c.governing_law'])
    .where('c.company_id', '=', companyId)
    .where('c.id', '=', isId(customerId) ? customerId : companyId)
    .executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `No customer with id ${customerId}.`, [], {
      key: 'problem.notFound.customer',
      params: { id: customerId },
    });
  return {
    policy: row.name ?? null,
    pausedUntil: row.dunning_paused_until ?? null,
    blockedReason: row.dunning_blocked_reason ?? null,
    law: row.governing_law ?? null,
  };
}

/**
 * Flags addresses a bounce reported as undeliverable (every contact of the company with that address):
 * they are left out of recipients from then on, and a customer left without any gets letters.
 */
export async function flagBouncedAddresses(
  db: Db,
  companyId: string,
  emails: string[],
  reason: string,
): Promise<number> {
  const lower = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0))];
  if (lower.length === 0) return 0;
  const now = nowIso();
  const flagged = await db
    .updateTable('contacts')
    .set({ email_bounced_at: now, email_bounce_reason: reason })
    .where('company_id', '=', companyId)
    .where((eb) => eb(eb.fn('lower', ['email']), 'in', lower))
    .returning('customer_id')
    .execute();
  const customers = [...new Set(flagged.map((r) => r.customer_id))];
  // The engine must look at those customers' invoices again: their channel may have changed.
  if (customers.length > 0) {
    await db
      .updateTable('invoices')
      .set({ next_action_date: null, updated_at: now })
      .where('company_id', '=', companyId)
      .where('customer_id', 'in', customers)
      .execute();
  }
  return flagged.length;
}

/** Whether the company has any customer yet (the demo fills an empty one). */
export async function hasCustomers(db: Db, companyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('company_id', '=', companyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The codes of a représentant's customers. */
export async function customerCodesOfSalesRep(db: Db, companyId: string, salesRep: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('customers')
    .select('code')
    .where('company_id', '=', companyId)
    .where('sales_rep', '=', salesRep)
    .execute();
  return new Set(rows.map((r) => r.code));
}

/** A change to a customer (contacts, hold, answers) may change every one of its invoices' plan: forget their stored
 * next-action dates so the planner looks at them again (see dunning/categories.ts). */
export async function replanCustomer(db: Db, companyId: string, customerId: string): Promise<void> {
  await db
    .updateTable('invoices')
    .set({ next_action_date: null, updated_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .execute();
}
