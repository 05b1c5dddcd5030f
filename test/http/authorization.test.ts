import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, issueApiToken } from '../../src/accounts/auth.ts';
import { allows, type Access } from '../../src/accounts/permissions.ts';
import type { Role } from '../../src/accounts/roles.ts';
import { recordCommunication, startRun } from '../../src/storage/dunning.ts';
import { enqueueMessages } from '../../src/storage/outbox.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture, type Side } from './support.ts';

/**
 * The authorization matrix: every /api/v1 route × no credentials, each role of company Alpha, and
 * Beta's admin pointed at Alpha's ids. Expected: 401 without credentials, 403 below the route's role,
 * 404 (never Alpha's data) for the other company, and a real answer otherwise.
 */
type Ctx = {
  a: Side;
  spareUser: string;
  spareToken: string;
  webhook: string;
  alphaAdmin: string;
  communication: string;
  runId: string;
  message: string;
};
type Case = {
  method: string;
  url: string;
  path: (c: Ctx) => string;
  body?: (c: Ctx) => unknown;
  /** What Beta's admin gets with Alpha's references: 404, or an answer that must not hold Alpha's data. */
  cross: 404 | 'clean';
};

const NO_ID = '00000000-0000-0000-0000-000000000000';
const CASES: Case[] = [
  { method: 'GET', url: '/api/v1/session', path: () => '/api/v1/session', cross: 'clean' },
  {
    method: 'PUT',
    url: '/api/v1/session/company',
    path: () => '/api/v1/session/company',
    body: (c) => ({ companyId: c.a.company.id }),
    cross: 404,
  },
  {
    method: 'PUT',
    url: '/api/v1/session/password',
    path: () => '/api/v1/session/password',
    body: () => ({ currentPassword: 'x', newPassword: 'y' }),
    cross: 'clean',
  },
  { method: 'DELETE', url: '/api/v1/session', path: () => '/api/v1/session', cross: 'clean' },
  { method: 'GET', url: '/api/v1/company', path: () => '/api/v1/company', cross: 'clean' },
  {
    method: 'PATCH',
    url: '/api/v1/company',
    path: () => '/api/v1/company',
    body: () => ({ iban: 'FR7630006000011234567890189' }),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/company/logo', path: () => '/api/v1/company/logo', cross: 'clean' },
  {
    method: 'PUT',
    url: '/api/v1/company/logo',
    path: () => '/api/v1/company/logo',
    body: () => ({
      image: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    }),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/company/automation', path: () => '/api/v1/company/automation', cross: 'clean' },
  {
    method: 'PUT',
    url: '/api/v1/company/automation',
    path: () => '/api/v1/company/automation',
    body: () => ({ time: '08:30' }),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/companies', path: () => '/api/v1/companies', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/companies',
    path: () => '/api/v1/companies',
    body: () => ({ legalName: 'Gamma' }),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/customers', path: () => '/api/v1/customers', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/customers',
    path: () => '/api/v1/customers',
    body: () => ({ code: `N${Math.random()}`.slice(0, 12), name: 'Nouveau' }),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/customers/:id', path: (c) => `/api/v1/customers/${c.a.marie.id}`, cross: 404 },
  {
    method: 'PATCH',
    url: '/api/v1/customers/:id',
    path: (c) => `/api/v1/customers/${c.a.marie.id}`,
    body: () => ({ notes: 'vu' }),
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/customers/:id/contacts',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/contacts`,
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/customers/:id/contacts',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/contacts`,
    body: () => ({ email: 'x@y.fr' }),
    cross: 404,
  },
  {
    method: 'PATCH',
    url: '/api/v1/customers/:id/contacts/:contactId',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/contacts/${NO_ID}`,
    body: () => ({ phone: '01 02 03 04 05' }),
    cross: 404,
  },
  {
    method: 'DELETE',
    url: '/api/v1/customers/:id/contacts/:contactId',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/contacts/${NO_ID}`,
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/customers/:id/activities',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/activities`,
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/customers/:id/activities',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/activities`,
    body: () => ({ kind: 'note', body: 'Appelé' }),
    cross: 404,
  },
  {
    method: 'PUT',
    url: '/api/v1/tasks/:id/done',
    path: () => `/api/v1/tasks/${NO_ID}/done`,
    body: () => ({ done: true }),
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/tasks/mine', path: () => '/api/v1/tasks/mine', cross: 'clean' },
  { method: 'GET', url: '/api/v1/rates', path: () => '/api/v1/rates', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/rates',
    path: () => '/api/v1/rates',
    body: () => ({
      series: 'ecb-mro',
      from: '2027-02-04',
      rate: '2,15',
      source: 'Décision du conseil des gouverneurs (test)',
    }),
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/rates/ecb-import',
    path: () => '/api/v1/rates/ecb-import',
    body: () => ({ fileName: 'mro.csv', content: 'not the ECB format' }),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/assignees', path: () => '/api/v1/assignees', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/simulation/send',
    path: () => '/api/v1/simulation/send',
    body: () => ({ to: 'essai@example.test' }),
    cross: 'clean',
  },
  {
    method: 'GET',
    url: '/api/v1/customers/:id/replies',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/replies`,
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/replies/unread', path: () => '/api/v1/replies/unread', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/replies/:id/read',
    path: () => `/api/v1/replies/${NO_ID}/read`,
    body: () => ({ read: true }),
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/replies/:id/attachments/:position',
    path: () => `/api/v1/replies/${NO_ID}/attachments/0`,
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/customers/:id/portal-links',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/portal-links`,
    cross: 404,
  },
  {
    method: 'DELETE',
    url: '/api/v1/customers/:id/portal-links',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/portal-links`,
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/customers/:id/schedule-requests',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/schedule-requests`,
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/schedule-requests/:id/decision',
    path: () => `/api/v1/schedule-requests/${NO_ID}/decision`,
    body: () => ({ accept: true }),
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/customer-answers', path: () => '/api/v1/customer-answers', cross: 'clean' },
  {
    method: 'GET',
    url: '/api/v1/customers/:id/portal-files',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/portal-files`,
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/portal-files/:id',
    path: () => `/api/v1/portal-files/${NO_ID}`,
    cross: 404,
  },
  {
    method: 'PUT',
    url: '/api/v1/customers/:id/hold',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/hold`,
    body: () => ({ pausedUntil: '2025-01-01' }),
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/invoices',
    path: (c) => `/api/v1/invoices?customerId=${c.a.marie.id}`,
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/invoices/totals', path: () => '/api/v1/invoices/totals?customer=AM', cross: 'clean' },
  {
    method: 'GET',
    url: '/api/v1/invoices/categories',
    path: () => '/api/v1/invoices/categories?asOf=2025-06-01',
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/invoices',
    path: () => '/api/v1/invoices',
    body: (c) => ({
      number: `X${Math.random()}`.slice(0, 10),
      customerId: c.a.marie.id,
      issueDate: '2025-01-01',
      dueDate: '2025-02-01',
      total: 1000,
    }),
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/invoices/:id', path: (c) => `/api/v1/invoices/${c.a.invoice.id}`, cross: 404 },
  {
    method: 'GET',
    url: '/api/v1/invoices/:id/allocations',
    path: (c) => `/api/v1/invoices/${c.a.invoice.id}/allocations`,
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/invoices/:id/pdf', path: (c) => `/api/v1/invoices/${c.a.invoice.id}/pdf`, cross: 404 },
  {
    method: 'PUT',
    url: '/api/v1/invoices/:id/dispute',
    path: (c) => `/api/v1/invoices/${c.a.invoice.id}/dispute`,
    body: () => ({ reason: null }),
    cross: 404,
  },
  {
    method: 'PUT',
    url: '/api/v1/invoices/:id/promise',
    path: (c) => `/api/v1/invoices/${c.a.invoice.id}/promise`,
    body: () => ({ date: null }),
    cross: 404,
  },
  {
    method: 'PUT',
    url: '/api/v1/invoices/:id/cancel',
    path: (c) => `/api/v1/invoices/${c.a.paulInvoice.id}/cancel`,
    body: () => ({}),
    cross: 404,
  },
  {
    method: 'PUT',
    url: '/api/v1/invoices/:id/schedule',
    path: (c) => `/api/v1/invoices/${c.a.invoice.id}/schedule`,
    body: () => ({ instalments: [{ seq: 1, dueDate: '2025-03-01', amount: 100_000 }] }),
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/payments',
    path: (c) => `/api/v1/payments?customerId=${c.a.marie.id}`,
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/payments',
    path: () => '/api/v1/payments',
    body: (c) => ({ customerId: c.a.marie.id, date: '2025-03-01', amount: 100, method: 'cheque' }),
    cross: 404,
  },
  { method: 'DELETE', url: '/api/v1/payments/:id', path: (c) => `/api/v1/payments/${c.a.paymentId}`, cross: 404 },
  { method: 'GET', url: '/api/v1/payments/export', path: () => '/api/v1/payments/export', cross: 'clean' },
  { method: 'GET', url: '/api/v1/cheques/waiting', path: () => '/api/v1/cheques/waiting', cross: 'clean' },
  { method: 'GET', url: '/api/v1/cheque-remittances', path: () => '/api/v1/cheque-remittances', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/cheque-remittances',
    path: () => '/api/v1/cheque-remittances',
    body: (c) => ({ paymentIds: [c.a.paymentId], depositedOn: '2025-03-01' }),
    cross: 'clean',
  },
  {
    method: 'GET',
    url: '/api/v1/cheque-remittances/:id/pdf',
    path: (c) => `/api/v1/cheque-remittances/${c.a.paymentId}/pdf`,
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/sepa', path: () => '/api/v1/sepa', cross: 'clean' },
  {
    method: 'PUT',
    url: '/api/v1/sepa/creditor-id',
    path: () => '/api/v1/sepa/creditor-id',
    body: () => ({ creditorId: 'FR72ZZZ123456' }),
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/sepa/mandates',
    path: () => '/api/v1/sepa/mandates',
    body: () => ({
      customerCode: 'AM',
      reference: 'RUM-X',
      iban: 'FR76 3000 6000 0112 3456 7890 189',
      signedOn: '2025-01-01',
    }),
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/sepa/mandates/:reference/revoke',
    path: () => '/api/v1/sepa/mandates/RUM-NONE/revoke',
    body: () => ({}),
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/sepa/debits',
    path: () => '/api/v1/sepa/debits',
    body: () => ({ collectionDate: '2099-01-02' }),
    cross: 'clean',
  },
  {
    method: 'GET',
    url: '/api/v1/sepa/batches/:messageId/file',
    path: () => '/api/v1/sepa/batches/RELANCE-NONE/file',
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/credit-notes',
    path: (c) => `/api/v1/credit-notes?customerId=${c.a.marie.id}`,
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/credit-notes',
    path: () => '/api/v1/credit-notes',
    body: (c) => ({
      number: `AV${Math.random()}`.slice(0, 10),
      customerId: c.a.marie.id,
      date: '2025-03-01',
      total: 100,
    }),
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/incoming/payments',
    path: () => '/api/v1/incoming/payments',
    body: () => ({ invoice: 'A-F1', amount: 100, date: '2025-03-01', reference: `R${Math.random()}` }),
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/quotes', path: () => '/api/v1/quotes', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/quotes',
    path: () => '/api/v1/quotes',
    body: (c) => ({
      number: `D${Math.random()}`.slice(0, 10),
      customerId: c.a.marie.id,
      date: '2025-01-01',
      validUntil: '2025-02-01',
      total: 100,
    }),
    cross: 404,
  },
  {
    method: 'PUT',
    url: '/api/v1/quotes/:number/status',
    path: () => '/api/v1/quotes/A-D1/status',
    body: () => ({ status: 'accepted' }),
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/quotes/policy', path: () => '/api/v1/quotes/policy', cross: 'clean' },
  {
    method: 'PUT',
    url: '/api/v1/quotes/policy',
    path: () => '/api/v1/quotes/policy',
    body: () => ({ steps: [{ label: 'Relance de devis', delayDays: -7, from: 'dueDate', channels: ['email'] }] }),
    cross: 'clean',
  },
  { method: 'DELETE', url: '/api/v1/quotes/policy', path: () => '/api/v1/quotes/policy', cross: 'clean' },
  { method: 'POST', url: '/api/v1/import/:kind', path: () => '/api/v1/import/customers', cross: 'clean' },
  { method: 'GET', url: '/api/v1/policies', path: () => '/api/v1/policies', cross: 'clean' },
  { method: 'GET', url: '/api/v1/policies/:name', path: () => '/api/v1/policies/default', cross: 'clean' },
  {
    method: 'PUT',
    url: '/api/v1/policies/:name',
    path: () => '/api/v1/policies/strict',
    body: () => ({
      steps: [{ label: 'R1', delayDays: 5, from: 'dueDate', channels: ['email'] }],
      minBalance: '10.00',
      minDaysBetween: 5,
    }),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/plan', path: () => '/api/v1/plan?date=2025-06-01', cross: 'clean' },
  { method: 'GET', url: '/api/v1/runs', path: () => '/api/v1/runs', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/runs',
    path: () => '/api/v1/runs',
    body: () => ({ customer: 'AM', dryRun: true }),
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/reminders', path: () => '/api/v1/reminders?invoice=A-F1', cross: 'clean' },
  { method: 'GET', url: '/api/v1/users', path: () => '/api/v1/users', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/users',
    path: () => '/api/v1/users',
    body: () => ({
      email: `n${Math.floor(Math.random() * 1e9)}@example.test`,
      role: 'viewer',
      password: 'a long password',
    }),
    cross: 'clean',
  },
  {
    method: 'PATCH',
    url: '/api/v1/users/:id',
    path: (c) => `/api/v1/users/${c.spareUser}`,
    body: () => ({ role: 'viewer' }),
    cross: 404,
  },
  { method: 'DELETE', url: '/api/v1/users/:id', path: (c) => `/api/v1/users/${c.spareUser}`, cross: 404 },
  { method: 'GET', url: '/api/v1/tokens', path: () => '/api/v1/tokens', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/tokens',
    path: () => '/api/v1/tokens',
    body: (c) => ({ name: 'ci', userId: c.alphaAdmin }),
    cross: 404,
  },
  { method: 'DELETE', url: '/api/v1/tokens/:id', path: (c) => `/api/v1/tokens/${c.spareToken}`, cross: 404 },
  { method: 'GET', url: '/api/v1/audit', path: () => '/api/v1/audit', cross: 'clean' },
  { method: 'GET', url: '/api/v1/webhooks', path: () => '/api/v1/webhooks', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/webhooks',
    path: () => '/api/v1/webhooks',
    body: () => ({ url: 'https://hooks.example.test/in', events: ['invoice.paid'] }),
    cross: 'clean',
  },
  {
    method: 'GET',
    url: '/api/v1/webhooks/:id/deliveries',
    path: (c) => `/api/v1/webhooks/${c.webhook}/deliveries`,
    cross: 404,
  },
  { method: 'DELETE', url: '/api/v1/webhooks/:id', path: (c) => `/api/v1/webhooks/${c.webhook}`, cross: 404 },
  { method: 'GET', url: '/api/v1/reports/aging', path: () => '/api/v1/reports/aging?date=2025-06-01', cross: 'clean' },
  {
    method: 'GET',
    url: '/api/v1/reports/reminders',
    path: () => '/api/v1/reports/reminders?date=2025-06-01',
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/reports/kpis', path: () => '/api/v1/reports/kpis?date=2025-06-01', cross: 'clean' },
  {
    method: 'GET',
    url: '/api/v1/reports/:report/export',
    path: () => '/api/v1/reports/aging/export?format=csv&date=2025-06-01',
    cross: 'clean',
  },
  {
    method: 'GET',
    url: '/api/v1/communications/:id/letter',
    path: (c) => `/api/v1/communications/${c.communication}/letter`,
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/invoices/:id/letter',
    path: (c) => `/api/v1/invoices/${c.a.invoice.id}/letter`,
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/invoices/:id/copy',
    path: (c) => `/api/v1/invoices/${c.a.invoice.id}/copy`,
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/runs/:id/letters', path: (c) => `/api/v1/runs/${c.runId}/letters`, cross: 404 },
  {
    method: 'POST',
    url: '/api/v1/documents/letters',
    path: () => '/api/v1/documents/letters',
    body: (c) => ({ invoiceIds: [c.a.invoice.id] }),
    cross: 404,
  },
  {
    method: 'GET',
    url: '/api/v1/customers/:id/statement',
    path: (c) => `/api/v1/customers/${c.a.marie.id}/statement`,
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/documents/summary', path: () => '/api/v1/documents/summary?customer=AM', cross: 404 },
  { method: 'GET', url: '/api/v1/templates', path: () => '/api/v1/templates', cross: 'clean' },
  { method: 'GET', url: '/api/v1/templates/variables', path: () => '/api/v1/templates/variables', cross: 'clean' },
  {
    method: 'GET',
    url: '/api/v1/templates/:key/:language',
    path: () => '/api/v1/templates/relance1/fr',
    cross: 'clean',
  },
  {
    method: 'PUT',
    url: '/api/v1/templates/:key/:language',
    path: () => '/api/v1/templates/relance2/fr',
    body: () => ({ subject: 'Relance {{ references }}' }),
    cross: 'clean',
  },
  {
    method: 'DELETE',
    url: '/api/v1/templates/:key/:language',
    path: () => '/api/v1/templates/relance2/fr',
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/templates/:key/:language/preview',
    path: () => '/api/v1/templates/relance1/fr/preview',
    body: (c) => ({ customerId: c.a.marie.id }),
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/templates/test-send',
    path: () => '/api/v1/templates/test-send',
    body: () => ({ level: 1, to: 'essai@example.test' }),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/outbox', path: () => '/api/v1/outbox', cross: 'clean' },
  { method: 'GET', url: '/api/v1/outbox/:id', path: (c) => `/api/v1/outbox/${c.message}`, cross: 404 },
  { method: 'POST', url: '/api/v1/outbox/:id/retry', path: (c) => `/api/v1/outbox/${c.message}/retry`, cross: 404 },
  { method: 'POST', url: '/api/v1/outbox/dispatch', path: () => '/api/v1/outbox/dispatch', cross: 'clean' },
  { method: 'GET', url: '/api/v1/mail/settings', path: () => '/api/v1/mail/settings', cross: 'clean' },
  {
    method: 'PATCH',
    url: '/api/v1/mail/settings',
    path: () => '/api/v1/mail/settings',
    body: () => ({ replyTo: 'relances@example.test' }),
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/mail/test',
    path: () => '/api/v1/mail/test',
    body: () => ({ to: 'essai@example.test' }),
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/composer/draft',
    path: () => '/api/v1/composer/draft',
    body: (c) => ({ customerId: c.a.marie.id, invoiceIds: [c.a.invoice.id] }),
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/composer/send',
    path: () => '/api/v1/composer/send',
    body: (c) => ({ customerId: c.a.marie.id, invoiceIds: [c.a.invoice.id] }),
    cross: 404,
  },
  {
    method: 'POST',
    url: '/api/v1/reminders/send',
    path: () => '/api/v1/reminders/send',
    body: (c) => ({ invoiceIds: [c.a.invoice.id], dryRun: true }),
    cross: 404,
  },
  // The web app's routes.
  {
    method: 'GET',
    url: '/api/v1/invoices/export',
    path: () => '/api/v1/invoices/export?customer=AM&format=csv',
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/dashboard', path: () => '/api/v1/dashboard', cross: 'clean' },
  { method: 'GET', url: '/api/v1/setup', path: () => '/api/v1/setup', cross: 'clean' },
  { method: 'POST', url: '/api/v1/demo/purge', path: () => '/api/v1/demo/purge', body: () => ({}), cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/integrations/einvoices',
    path: () => '/api/v1/integrations/einvoices',
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/integrations/bank-statements',
    path: () => '/api/v1/integrations/bank-statements',
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/bank-lines', path: () => '/api/v1/bank-lines', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/bank-lines/:id/match',
    path: () => '/api/v1/bank-lines/01a21170-0000-7000-8000-000000000001/match',
    body: () => ({ invoices: ['A-F1'] }),
    cross: 'clean',
  },
  {
    method: 'POST',
    url: '/api/v1/bank-lines/:id/ignore',
    path: () => '/api/v1/bank-lines/01a21170-0000-7000-8000-000000000001/ignore',
    body: () => ({}),
    cross: 'clean',
  },
  { method: 'GET', url: '/api/v1/invitations', path: () => '/api/v1/invitations', cross: 'clean' },
  {
    method: 'POST',
    url: '/api/v1/invitations/:id/accept',
    path: () => '/api/v1/invitations/01a21170-0000-7000-8000-000000000002/accept',
    cross: 404,
  },
  {
    method: 'DELETE',
    url: '/api/v1/invitations/:id',
    path: () => '/api/v1/invitations/01a21170-0000-7000-8000-000000000002',
    cross: 404,
  },
  { method: 'GET', url: '/api/v1/follow-ups', path: () => '/api/v1/follow-ups?date=2025-06-01', cross: 'clean' },
];

const ROLES: ['viewer' | 'collector' | 'restricted' | 'admin', Role][] = [
  ['viewer', 'viewer'],
  ['collector', 'collector'],
  ['restricted', 'collector'],
  ['admin', 'admin'],
];

describe.each(dialects)('authorization matrix on %s', (dialect) => {
  let f: Fixture;
  let ctx: Ctx;
  beforeAll(async () => {
    f = await fixture(dialect);
    const spare = await addUser(f.store.db, f.alpha.company.id, {
      email: 'spare@example.test',
      role: 'collector',
      password: 'spare password 1',
    });
    const spareToken = await issueApiToken(f.store.db, f.alpha.company.id, { userId: f.users.viewer, name: 'spare' });
    const webhook = await createWebhook(f.store.db, f.alpha.company.id, {
      url: 'https://hooks.example.test/a',
      secret: 's',
      events: ['invoice.paid'],
    });
    const run = (await startRun(f.store.db, f.alpha.company.id, { date: '2025-06-01', kind: 'manual' }))!;
    const recorded = await recordCommunication(f.store.db, f.alpha.company.id, {
      runId: run.id,
      customerId: f.alpha.marie.id,
      currency: 'EUR',
      level: 1,
      label: '1ère relance',
      date: '2025-06-01',
      channels: ['letter'],
      invoices: [{ invoiceId: f.alpha.invoice.id, level: 1 }],
    });
    const [message] = await enqueueMessages(f.store.db, f.alpha.company.id, [
      {
        kind: 'reminder',
        idempotencyKey: 'matrix',
        customerId: f.alpha.marie.id,
        to: ['compta@am.example'],
        subject: 'Relance',
        text: 'Bonjour',
      },
    ]);
    ctx = {
      a: f.alpha,
      spareUser: spare.user.id,
      spareToken: spareToken.id,
      webhook: webhook.id,
      alphaAdmin: f.users.admin,
      communication: (recorded as { id: string }).id,
      runId: run.id,
      message: message!.id,
    };
  });
  afterAll(async () => f.dispose());

  it('has a case for every route, each declaring who may call it', () => {
    const declared = f.app.apiRoutes
      .filter((r) => r.access !== 'public')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(CASES.map((c) => `${c.method} ${c.url}`).sort()).toEqual(declared);
  });

  it('answers 401 without credentials and with a wrong or malformed token', async () => {
    for (const c of CASES) {
      for (const token of [null, 'rlc_not-a-real-token']) {
        const reply = await call(f.app, token, c.method as never, c.path(ctx), c.body?.(ctx));
        expect(reply.status, `${c.method} ${c.url} with ${token}`).toBe(401);
        expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
  });

  it("answers 403 below the route's role and a real answer at or above it", async () => {
    // The admin goes last: its deletions (spare user, token, webhook) must not change what the others see.
    for (const c of CASES) {
      const access = f.app.apiRoutes.find((r) => r.method === c.method && r.url === c.url)!.access as Access;
      for (const [who, role] of ROLES) {
        const reply = await call(f.app, f.tokens[who], c.method as never, c.path(ctx), c.body?.(ctx));
        const label = `${who} ${c.method} ${c.url}: ${reply.raw.slice(0, 200)}`;
        if (allows({ role }, access)) {
          expect([401, 403], label).not.toContain(reply.status);
          expect(reply.status, label).toBeLessThan(500);
        } else {
          expect(reply.status, label).toBe(403);
          expect(reply.body.code, label).toBe('forbidden');
        }
      }
    }
  });

  it("never shows another company's data: Beta's admin gets 404 for Alpha's ids and nothing of Alpha in lists", async () => {
    const markers = [
      f.alpha.company.id,
      f.alpha.marie.id,
      f.alpha.paul.id,
      f.alpha.invoice.id,
      f.alpha.paymentId,
      'A-F1',
      'A-D1',
      'Alpha',
      `"${f.emails.admin}"`,
    ];
    for (const c of CASES) {
      const reply = await call(f.app, f.tokens.betaAdmin, c.method as never, c.path(ctx), c.body?.(ctx));
      const label = `${c.method} ${c.url}: ${reply.raw.slice(0, 200)}`;
      if (c.cross === 404) expect(reply.status, label).toBe(404);
      else expect(reply.status, label).toBeLessThan(500);
      // A 404 may echo what the caller sent (the id it asked for); anything else of Alpha's is a leak.
      const sent = `${c.path(ctx)} ${JSON.stringify(c.body?.(ctx) ?? null)}`;
      for (const marker of markers.filter((m) => !sent.includes(m)))
        expect(reply.raw, `${label} leaks ${marker}`).not.toContain(marker);
      // The same shape as any 404: the catalogue message, said in the reader's language, and its params (the id
      // asked for), nothing more.
      if (c.cross === 404)
        expect(Object.keys(reply.body).sort(), label).toEqual(
          expect.arrayContaining(['code', 'detail', 'instance', 'messageKey', 'status', 'title', 'type']),
        );
      if (c.cross === 404)
        expect(
          Object.keys(reply.body).filter(
            (k) =>
              !['code', 'detail', 'instance', 'message', 'messageKey', 'params', 'status', 'title', 'type'].includes(k),
          ),
          label,
        ).toEqual([]);
    }
  });

  it("hides the other représentant's customers from a collector restricted to a sales rep", async () => {
    const t = f.tokens.restricted;
    expect((await call(f.app, t, 'GET', `/api/v1/customers/${f.alpha.paul.id}`)).status).toBe(404);
    expect((await call(f.app, t, 'GET', `/api/v1/invoices/${f.alpha.paulInvoice.id}`)).status).toBe(404);
    expect(
      (await call(f.app, t, 'PUT', `/api/v1/invoices/${f.alpha.paulInvoice.id}/dispute`, { reason: 'x' })).status,
    ).toBe(404);
    expect(
      (
        await call(f.app, t, 'POST', '/api/v1/payments', {
          customerId: f.alpha.paul.id,
          date: '2025-03-01',
          amount: 5,
          method: 'cash',
        })
      ).status,
    ).toBe(404);
    const customers = await call(f.app, t, 'GET', '/api/v1/customers');
    expect(customers.body.items.map((c: { code: string }) => c.code)).toContain('AM');
    expect(customers.body.items.every((c: { salesRep: string }) => c.salesRep === 'Marie')).toBe(true);
    const invoices = await call(f.app, t, 'GET', '/api/v1/invoices?salesRep=Paul');
    expect(invoices.body.items).toEqual([]);
    const all = await call(f.app, t, 'GET', '/api/v1/invoices');
    expect(all.body.items.length).toBeGreaterThan(0);
    expect(all.body.items.some((i: { customerCode: string }) => i.customerCode === 'AP')).toBe(false);
    const plan = await call(f.app, t, 'GET', '/api/v1/plan?date=2025-06-01');
    expect(plan.body.items.map((i: { customer: string }) => i.customer)).not.toContain('AP');
    expect((await call(f.app, t, 'POST', '/api/v1/runs', { dryRun: true })).status).toBe(403);
  });
});
