import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { addUser, issueApiToken } from '../../src/accounts/auth.ts';
import type { Role } from '../../src/accounts/roles.ts';
import type { Company, Customer, Invoice } from '../../src/domain/ledger.ts';
import { buildApp, type AppOptions } from '../../src/http/app.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { createQuote } from '../../src/storage/quotes.ts';
import { freshStore, type TestStore } from '../support/stores.ts';
import { customerInput, invoiceInput, LETTER_IDENTITY } from '../repositories/helpers.ts';

export const PASSWORD = 'correct horse battery';

export type Side = {
  company: Company;
  /** Customer of sales rep Marie, and one of Paul. */
  marie: Customer;
  paul: Customer;
  invoice: Invoice;
  paulInvoice: Invoice;
  paymentId: string;
};

/**
 * Two companies with the same shape of ledger (so every id of one has a twin in the other), users of
 * every role in Alpha, an admin in Beta, and an API token for each: the world of the route tests.
 */
export type Fixture = {
  app: FastifyInstance;
  store: TestStore;
  alpha: Side;
  beta: Side;
  tokens: Record<'admin' | 'collector' | 'restricted' | 'viewer' | 'betaAdmin', string>;
  users: Record<'admin' | 'collector' | 'restricted' | 'viewer' | 'betaAdmin', string>;
  emails: Record<'admin' | 'collector' | 'restricted' | 'viewer' | 'betaAdmin', string>;
  dispose(): Promise<void>;
};

async function seedSide(store: TestStore, legalName: string, prefix: string): Promise<Side> {
  const company = await createCompany(store.db, { legalName, ...LETTER_IDENTITY });
  const marie = await createCustomer(
    store.db,
    company.id,
    customerInput(`${prefix}M`, { name: `${legalName} Marie client`, salesRep: 'Marie' }),
  );
  const paul = await createCustomer(
    store.db,
    company.id,
    customerInput(`${prefix}P`, { name: `${legalName} Paul client`, salesRep: 'Paul' }),
  );
  await addContact(store.db, company.id, marie.id, {
    name: 'Compta',
    email: `compta@${prefix.toLowerCase()}m.example`,
    phone: null,
    role: 'billing',
    isPrimary: true,
  });
  const invoice = await createInvoice(
    store.db,
    company.id,
    marie.id,
    invoiceInput(`${prefix}-F1`, { salesRep: 'Marie', dueDate: '2025-01-31' }),
  );
  const paulInvoice = await createInvoice(
    store.db,
    company.id,
    paul.id,
    invoiceInput(`${prefix}-F2`, { salesRep: 'Paul' }),
  );
  await createInvoice(
    store.db,
    company.id,
    marie.id,
    invoiceInput(`${prefix}-F3`, { total: 50_000, totalExclTax: 41_667, dueDate: '2025-03-01' }),
  );
  const payment = await insertPayment(store.db, company.id, {
    customerId: marie.id,
    date: '2025-02-10',
    currency: 'EUR',
    amount: 20_000,
    method: 'transfer',
    reference: `${prefix}-VIR`,
    allocations: [{ invoiceId: invoice.id, amount: 20_000 }],
  });
  await createQuote(store.db, company.id, {
    number: `${prefix}-D1`,
    customerId: marie.id,
    date: '2025-01-01',
    validUntil: '2025-02-01',
    currency: 'EUR',
    total: 10_000,
    status: 'pending',
  });
  return { company, marie, paul, invoice, paulInvoice, paymentId: payment.id };
}

export async function fixture(dialect: 'sqlite' | 'postgres', options: Partial<AppOptions> = {}): Promise<Fixture> {
  const store = await freshStore(dialect);
  const alpha = await seedSide(store, 'Alpha', 'A');
  const beta = await seedSide(store, 'Beta', 'B');
  const people: [keyof Fixture['tokens'], Company, Role, string | null][] = [
    ['admin', alpha.company, 'admin', null],
    ['collector', alpha.company, 'collector', null],
    ['restricted', alpha.company, 'collector', 'Marie'],
    ['viewer', alpha.company, 'viewer', null],
    ['betaAdmin', beta.company, 'admin', null],
  ];
  const tokens = {} as Fixture['tokens'];
  const users = {} as Fixture['users'];
  const emails = {} as Fixture['emails'];
  for (const [key, company, role, salesRep] of people) {
    const email = `${key.toLowerCase()}@example.test`;
    const { user } = await addUser(store.db, company.id, { email, role, salesRep, password: PASSWORD });
    users[key] = user.id;
    emails[key] = email;
    tokens[key] = (await issueApiToken(store.db, company.id, { userId: user.id, name: `${key} token` })).token;
  }
  // Letters and .eml files of the tests go to a temporary folder, never to the checkout's data/.
  const dataDir = mkdtempSync(join(tmpdir(), 'relance-http-'));
  const app = await buildApp({ db: store.db, loginLimit: { max: 1000, windowMs: 60_000 }, dataDir, ...options });
  return {
    app,
    store,
    alpha,
    beta,
    tokens,
    users,
    emails,
    dispose: async () => {
      await app.close();
      await store.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Reply = { status: number; body: any; headers: Record<string, unknown>; raw: string };

/** One request with an API token (or none), JSON in and out. */
export async function call(
  app: FastifyInstance,
  token: string | null,
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  let parsed: unknown = null;
  try {
    parsed = response.body ? JSON.parse(response.body) : null;
  } catch {
    parsed = null;
  }
  return { status: response.statusCode, body: parsed, headers: response.headers, raw: response.body };
}

/** Logs in through the API and returns the cookie and CSRF token of the session. */
export async function loginSession(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
): Promise<{ cookie: string; csrf: string; status: number; body: any }> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  const body = JSON.parse(response.body);
  const set = response.cookies.find((c) => c.name === 'relance_session');
  return {
    cookie: set ? `relance_session=${set.value}` : '',
    csrf: body.csrfToken ?? '',
    status: response.statusCode,
    body,
  };
}
