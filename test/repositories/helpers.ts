import { afterEach, beforeEach, expect } from 'vitest';
import { AppError, type ErrorCode } from '../../src/shared/errors.ts';
import { rawQuery, type Db } from '../../src/storage/database.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer, type CustomerInput } from '../../src/storage/customers.ts';
import { createInvoice, getInvoiceByNumber, type InvoiceInput } from '../../src/storage/invoices.ts';
import type { Company, Customer, Invoice } from '../../src/domain/ledger.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

/** A fresh, migrated, empty store for each test of the enclosing describe. */
export function useStore(dialect: 'sqlite' | 'postgres'): () => TestStore {
  let store: TestStore | undefined;
  beforeEach(async () => {
    store = await freshStore(dialect);
  });
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });
  return () => {
    if (!store) throw new Error('the store is only available inside a test');
    return store;
  };
}

export function customerInput(code: string, overrides: Partial<CustomerInput> = {}): CustomerInput {
  return {
    code,
    name: `Client ${code}`,
    kind: 'company',
    siren: null,
    vatNumber: null,
    address: { line1: '1 rue du Test', line2: null, postcode: '75001', city: 'Paris', country: 'FR' },
    language: 'fr',
    salesRep: null,
    paymentTerms: null,
    notes: null,
    ...overrides,
  };
}

export function invoiceInput(number: string, overrides: Partial<InvoiceInput> = {}): InvoiceInput {
  return {
    number,
    issueDate: '2025-01-01',
    dueDate: '2025-01-31',
    currency: 'EUR',
    totalExclTax: 100_000,
    total: 120_000,
    title: null,
    salesRep: null,
    ...overrides,
  };
}

/** What a company needs before its letters may leave (src/domain/identity.ts): a postal address and an IBAN. */
export const LETTER_IDENTITY = {
  address: { line1: '1 place Bellecour', line2: null, postcode: '69002', city: 'Lyon', country: 'FR' },
  iban: 'FR7630006000011234567890189',
};

/** A company with one customer (C1) holding one invoice (F1, 1 200.00 EUR by default). */
export async function seedLedger(
  db: Db,
  options: { legalName?: string; total?: number; customerName?: string } = {},
): Promise<{ company: Company; customer: Customer; invoice: Invoice }> {
  const company = await createCompany(db, { legalName: options.legalName ?? 'Société A' });
  const customer = await createCustomer(
    db,
    company.id,
    customerInput('C1', options.customerName ? { name: options.customerName } : {}),
  );
  const total = options.total ?? 120_000;
  const invoice = await createInvoice(db, company.id, customer.id, invoiceInput('F1', { total, totalExclTax: null }));
  return { company, customer, invoice };
}

export function reload(db: Db, companyId: string, invoice: Pick<Invoice, 'number'>): Promise<Invoice> {
  return getInvoiceByNumber(db, companyId, invoice.number);
}

/** Awaits a promise that must fail with an AppError of the given code (and message, when given). */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<AppError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome))
    throw new Error(`expected an AppError ${code}, got a result: ${JSON.stringify(outcome.value)}`);
  const { error } = outcome;
  expect(error, String(error)).toBeInstanceOf(AppError);
  expect((error as AppError).code, (error as AppError).message).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

const TABLES = [
  'companies',
  'customers',
  'contacts',
  'invoices',
  'payments',
  'credit_notes',
  'allocations',
  'quotes',
  'payment_schedules',
  'instalments',
  'invoice_files',
] as const;

/** Number of rows of a table, all companies together. */
export async function countRows(db: Db, table: (typeof TABLES)[number]): Promise<number> {
  if (!TABLES.includes(table)) throw new Error(`unknown table ${table}`);
  const [row] = await rawQuery<{ n: number | string }>(db, `select count(*) as n from ${table}`);
  return Number(row?.n);
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
