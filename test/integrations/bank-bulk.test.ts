import { describe, expect, it } from 'vitest';
import { importBankStatement } from '../../src/integrations/bank/import-bank.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { customerInput, invoiceInput, useStore } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';
import { camt053 } from './support/camt.ts';
import { ledgerSnapshot } from './ledger-snapshot.ts';

/** Credits matched by reference, by amount, split across a batch, unmatched, a bank fee, and one line twice. */
const STATEMENT = camt053([
  {
    amount: '1200.00',
    sign: 'CRDT',
    date: '2026-03-02',
    txs: [{ debtor: 'BOULANGERIE MARTIN', ustrd: 'Facture F-100' }],
  },
  { amount: '450.00', sign: 'CRDT', date: '2026-03-02', txs: [{ debtor: 'BOULANGERIE MARTIN', ustrd: 'VIR SEPA' }] },
  { amount: '500.00', sign: 'CRDT', date: '2026-03-02', txs: [{ debtor: 'GARAGE LEROY', ustrd: 'Paiement' }] },
  { amount: '99.00', sign: 'CRDT', date: '2026-03-02', txs: [{ debtor: 'INCONNU SA', ustrd: 'virement' }] },
  { amount: '12.50', sign: 'DBIT', date: '2026-03-02', info: 'FRAIS TENUE DE COMPTE' },
  {
    amount: '500.00',
    sign: 'CRDT',
    date: '2026-03-03',
    txs: [
      { amount: '300.00', debtor: 'Boulangerie Martin', strdRef: 'F-101', ref: 'TX-1' },
      { amount: '200.00', debtor: 'Garage Leroy', ustrd: 'acompte 2026-7', ref: 'TX-2' },
    ],
  },
]);

describe.each(dialects)('bank statement written in bulk on %s', (dialect) => {
  const store = useStore(dialect);

  it('leaves the lines, payments, allocations, webhooks and audit row the one-by-one writes left', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    const martin = await createCustomer(db, company.id, customerInput('MARTIN', { name: 'Boulangerie Martin' }));
    const leroy = await createCustomer(db, company.id, customerInput('LEROY', { name: 'Garage Leroy SARL' }));
    for (const [customer, number, total, due] of [
      [martin, 'F-100', 120_000, '2026-01-31'],
      [martin, 'F-101', 30_000, '2026-02-10'],
      [martin, 'F-102', 45_000, '2026-02-15'],
      [leroy, '2026-7', 50_000, '2026-02-01'],
      [leroy, '2026-8', 50_000, '2026-02-20'],
    ] as const) {
      await createInvoice(
        db,
        company.id,
        customer.id,
        invoiceInput(number, { total, totalExclTax: null, issueDate: '2026-01-01', dueDate: due }),
      );
    }
    await createWebhook(db, company.id, { url: 'https://hooks.example/paid', secret: 's', events: ['invoice.paid'] });
    const actor = systemActor(company.id);
    const bytes = new TextEncoder().encode(STATEMENT);
    const report = await importBankStatement(db, actor, { fileName: 'releve.xml', bytes, currency: 'EUR' });
    const first = await ledgerSnapshot(db, company.id);
    await expect(JSON.stringify({ report, ledger: first }, null, 1)).toMatchFileSnapshot(
      './__snapshots__/bank-bulk.json',
    );
    const again = await importBankStatement(db, actor, { fileName: 'releve.xml', bytes, currency: 'EUR' });
    expect(again.alreadyImported).toBe(report.lines);
    const second = await ledgerSnapshot(db, company.id);
    expect({ ...second, audit: [] }).toEqual({ ...first, audit: [] });
  });
});
