import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPayment } from '../../src/storage/allocations.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { dialects } from '../support/stores.ts';
import { call, fixture, type Fixture } from './support.ts';

describe.each(dialects)('payments, cheque slips, quotes and SEPA over HTTP on %s', (dialect) => {
  let f: Fixture;
  const as = (who: keyof Fixture['tokens']) => (method: string, url: string, body?: unknown) =>
    call(f.app, f.tokens[who], method as never, url, body);
  beforeAll(async () => {
    f = await fixture(dialect);
  });
  afterAll(async () => f.dispose());

  it('lists payments with their customer, filtered by method and dates, and exports the same list', async () => {
    const admin = as('admin');
    await insertPayment(f.store.db, f.alpha.company.id, {
      customerId: f.alpha.paul.id,
      date: '2025-03-05',
      currency: 'EUR',
      amount: 7_500,
      method: 'cheque',
      reference: 'CHQ 0001234',
      allocations: [],
    });
    const all = (await admin('GET', '/api/v1/payments')).body.items;
    expect(all.map((p: { method: string }) => p.method).sort()).toEqual(['cheque', 'transfer']);
    const cheques = (await admin('GET', '/api/v1/payments?method=cheque')).body.items;
    expect(cheques).toEqual([
      expect.objectContaining({
        amount: 7_500,
        customerCode: 'AP',
        customerName: 'Alpha Paul client',
        unallocated: 7_500,
      }),
    ]);
    expect((await admin('GET', '/api/v1/payments?from=2025-03-01&to=2025-03-31')).body.items).toHaveLength(1);
    expect((await admin('GET', '/api/v1/payments?to=2025-02-28')).body.items).toHaveLength(1);
    const csv = await admin('GET', '/api/v1/payments/export?format=csv&method=cheque');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/encaissements-\d{4}-\d{2}-\d{2}\.csv/);
    expect(csv.raw).toContain('CHQ 0001234');
    expect(csv.raw).toContain('Chèque');
    expect(csv.raw).not.toContain('A-VIR');
    // The restricted collector sees Marie's customers' payments only.
    const restricted = (await as('restricted')('GET', '/api/v1/payments')).body.items;
    expect(restricted.every((p: { customerCode: string }) => p.customerCode === 'AM')).toBe(true);
  });

  it('puts waiting cheques on a numbered slip whose PDF can be printed; a remitted cheque cannot be removed', async () => {
    const admin = as('admin');
    const waiting = (await admin('GET', '/api/v1/cheques/waiting')).body.items;
    expect(waiting).toEqual([expect.objectContaining({ reference: 'CHQ 0001234', customerCode: 'AP', amount: 7_500 })]);
    const transfer = f.alpha.paymentId;
    const refused = await admin('POST', '/api/v1/cheque-remittances', {
      paymentIds: [waiting[0].paymentId, transfer],
      depositedOn: '2025-03-06',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('paymentIds.1');
    expect((await admin('GET', '/api/v1/cheque-remittances')).body.items).toEqual([]);

    const slip = await admin('POST', '/api/v1/cheque-remittances', {
      paymentIds: [waiting[0].paymentId],
      depositedOn: '2025-03-06',
    });
    expect(slip.status).toBe(201);
    expect(slip.body).toMatchObject({ number: 1, total: 7_500, cheques: 1, currency: 'EUR' });
    expect((await admin('GET', '/api/v1/cheques/waiting')).body.items).toEqual([]);
    const again = await admin('POST', '/api/v1/cheque-remittances', {
      paymentIds: [waiting[0].paymentId],
      depositedOn: '2025-03-07',
    });
    expect(again.status).toBe(422);
    const pdf = await admin('GET', `/api/v1/cheque-remittances/${slip.body.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.raw.startsWith('%PDF')).toBe(true);
    expect(pdf.headers['content-disposition']).toContain('remise-cheques-1-2025-03-06.pdf');
    const removed = await admin('DELETE', `/api/v1/payments/${waiting[0].paymentId}`);
    expect(removed.status).toBe(409);
    expect(removed.body.detail).toContain('slip no. 1');
    const listed = (await admin('GET', '/api/v1/payments?method=cheque')).body.items;
    expect(listed[0].remittanceId).toBe(slip.body.id);
    // The slip lists Paul's customer: Marie's restricted collector sees neither it nor its PDF.
    const restricted = as('restricted');
    expect((await restricted('GET', '/api/v1/cheque-remittances')).body.items).toEqual([]);
    expect((await restricted('GET', `/api/v1/cheque-remittances/${slip.body.id}/pdf`)).status).toBe(404);
    expect((await as('collector')('GET', '/api/v1/cheque-remittances')).body.items).toHaveLength(1);
  });

  it('shows, sets and resets the quote follow-up policy, checked as a reminder policy', async () => {
    const admin = as('admin');
    expect((await admin('GET', '/api/v1/quotes/policy')).body.steps).toEqual([
      { label: 'Relance de devis', delayDays: -7, from: 'dueDate' },
    ]);
    const saved = await admin('PUT', '/api/v1/quotes/policy', {
      steps: [
        { label: 'Rappel', delayDays: -10, from: 'dueDate', channels: ['email'] },
        { label: 'Dernier rappel', delayDays: 5, from: 'previousStep', channels: ['email'] },
      ],
    });
    expect(saved.status).toBe(200);
    expect((await admin('GET', '/api/v1/quotes/policy')).body.steps.map((s: { label: string }) => s.label)).toEqual([
      'Rappel',
      'Dernier rappel',
    ]);
    const bad = await admin('PUT', '/api/v1/quotes/policy', {
      steps: [{ label: 'Courrier', delayDays: -3, from: 'dueDate', channels: ['letter'] }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('steps.0.channels');
    expect((await admin('DELETE', '/api/v1/quotes/policy')).body.steps).toHaveLength(1);
    const quotes = (await admin('GET', '/api/v1/quotes')).body.items;
    expect(quotes).toEqual([expect.objectContaining({ number: 'A-D1', customerCode: 'AM' })]);
  });

  it('records a mandate, makes a pain.008 file of the due invoices and serves it again', async () => {
    const admin = as('admin');
    await updateCompany(f.store.db, f.alpha.company.id, { iban: 'FR7630006000011234567890189' });
    expect((await admin('PUT', '/api/v1/sepa/creditor-id', { creditorId: 'FR72ZZZ123456' })).status).toBe(200);
    const mandate = await admin('POST', '/api/v1/sepa/mandates', {
      customerCode: 'AM',
      reference: 'RUM-AM-1',
      iban: 'DE89 3704 0044 0532 0130 00',
      signedOn: '2025-01-01',
    });
    expect(mandate.status).toBe(201);
    expect((await admin('POST', '/api/v1/sepa/mandates', { ...mandate.body, iban: 'FR00' })).status).toBe(422);
    const batch = await admin('POST', '/api/v1/sepa/debits', { collectionDate: '2099-01-02' });
    expect(batch.status).toBe(201);
    expect(batch.body.debits.map((d: { invoice: string }) => d.invoice).sort()).toEqual(['A-F1', 'A-F3']);
    expect(batch.body.debits[0].sequenceType).toBe('FRST');
    const view = (await admin('GET', '/api/v1/sepa')).body;
    expect(view.creditorId).toBe('FR72ZZZ123456');
    expect(view.mandates[0]).toMatchObject({ reference: 'RUM-AM-1', firstDebitOn: '2099-01-02' });
    expect(view.batches).toEqual([expect.objectContaining({ messageId: batch.body.messageId, pending: 2 })]);
    expect(view.pending.map((p: { invoice: string }) => p.invoice).sort()).toEqual(['A-F1', 'A-F3']);
    const file = await admin('GET', `/api/v1/sepa/batches/${batch.body.messageId}/file`);
    expect(file.status).toBe(200);
    expect(file.raw).toContain('urn:iso:std:iso:20022:tech:xsd:pain.008');
    expect(file.raw).toContain('RUM-AM-1');
  });
});
