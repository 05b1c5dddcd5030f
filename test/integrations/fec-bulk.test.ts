import { describe, expect, it } from 'vitest';
import { importFec } from '../../src/integrations/fec/import-fec.ts';
import { systemActor } from '../../src/shared/actor.ts';
import { AppError } from '../../src/shared/errors.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { createCustomer } from '../../src/storage/customers.ts';
import { createWebhook } from '../../src/storage/webhooks.ts';
import { customerInput, useStore } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';
import { ledgerSnapshot } from './ledger-snapshot.ts';

const HEADER =
  'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise';

function line(
  journal: string,
  entry: string,
  date: string,
  aux: string,
  name: string,
  piece: string,
  debit: string,
  credit: string,
  letter = '',
) {
  const label = journal === 'VT' ? 'Ventes' : 'Banque';
  return `${journal}|${label}|${entry}|${date}|411000|Clients|${aux}|${name}|${piece}|${date}|${piece}|${debit}|${credit}|${letter}|${letter ? date : ''}|${date}||`;
}

/**
 * Every kind of open item a FEC brings: a lettering that pays one invoice in full and another in part, a credit
 * note lettered to an invoice, an unlettered invoice, an unlettered payment (the customer's credit), a settled
 * lettering (left out), a customer that already exists.
 */
const FEC = new TextEncoder().encode(
  [
    HEADER,
    line('VT', 'VT10', '20260110', 'CDUPONT', 'Dupont Frères', 'FA010', '500,00', '0,00', 'AB'),
    line('VT', 'VT11', '20260112', 'CDUPONT', 'Dupont Frères', 'FA011', '300,00', '0,00', 'AB'),
    line('BQ', 'BQ1', '20260201', 'CDUPONT', 'Dupont Frères', 'VIR1', '0,00', '600,00', 'AB'),
    line('BQ', 'BQ2', '20260203', 'CDUPONT', 'Dupont Frères', 'VIR2', '0,00', '50,00'),
    line('VT', 'VT20', '20260115', 'CMARTIN', 'Boulangerie Martin', 'FA020', '1000,00', '0,00', 'CD'),
    line('VT', 'VT21', '20260120', 'CMARTIN', 'Boulangerie Martin', 'AV020', '0,00', '200,00', 'CD'),
    line('VT', 'VT22', '20260125', 'CMARTIN', 'Boulangerie Martin', 'FA021', '250,00', '0,00'),
    line('VT', 'VT30', '20260105', 'CLEROY', 'Leroy SA', 'FA030', '120,00', '0,00', 'EF'),
    line('BQ', 'BQ3', '20260130', 'CLEROY', 'Leroy SA', 'VIR3', '0,00', '120,00', 'EF'),
    line('VT', 'VT40', '20260201', 'CPETIT', 'Petit SARL', 'FA040', '75,50', '0,00'),
  ].join('\n') + '\n',
);

describe.each(dialects)('FEC import written in bulk on %s', (dialect) => {
  const store = useStore(dialect);

  it('leaves the rows, allocations, webhooks and audit row the one-by-one writes left', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    await createCustomer(db, company.id, customerInput('CMARTIN', { name: 'Martin (déjà là)' }));
    await createWebhook(db, company.id, { url: 'https://hooks.example/paid', secret: 's', events: ['invoice.paid'] });
    const actor = systemActor(company.id);
    const report = await importFec(db, actor, { fileName: 'fec.txt', bytes: FEC, currency: 'EUR', termsDays: 30 });
    expect(report).toMatchObject({
      customers: { created: 3, existing: 1 },
      invoices: { created: 5, unchanged: 0, open: 5 },
      payments: { created: 2, unchanged: 0 },
      creditNotes: { created: 1, unchanged: 0 },
    });
    const first = await ledgerSnapshot(db, company.id);
    await expect(JSON.stringify(first, null, 1)).toMatchFileSnapshot('./__snapshots__/fec-bulk.json');

    const again = await importFec(db, actor, { fileName: 'fec.txt', bytes: FEC, currency: 'EUR', termsDays: 30 });
    expect(again).toMatchObject({
      customers: { created: 0, existing: 4 },
      invoices: { created: 0, unchanged: 5 },
      payments: { created: 0, unchanged: 2 },
      creditNotes: { created: 0, unchanged: 1 },
    });
    const second = await ledgerSnapshot(db, company.id);
    expect({ ...second, audit: [] }).toEqual({ ...first, audit: [] });
    expect(second.audit).toHaveLength(2);
  });

  it('refuses the file as a whole when a customer it settles is not one the actor sees', async () => {
    const { db } = store();
    const company = await createCompany(db, { legalName: 'Atelier Durand' });
    await createCustomer(db, company.id, customerInput('CMARTIN', { salesRep: 'Alice' }));
    const restricted = { ...systemActor(company.id), salesRep: 'Bob' };
    const error = await importFec(db, restricted, { fileName: 'fec.txt', bytes: FEC, currency: 'EUR' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
    const left = await ledgerSnapshot(db, company.id);
    expect([left.invoices, left.payments, left.creditNotes, left.allocations, left.audit]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
  });
});
