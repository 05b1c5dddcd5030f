import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueReason } from '../../src/i18n/index.ts';
import { headerKey, layoutKey, matchHeaders } from '../../src/import/header-aliases.ts';
import { importCsv, type ImportKind } from '../../src/import/run-import.ts';
import { ensureDefaultCompany } from '../../src/storage/companies.ts';
import { listInvoices } from '../../src/storage/invoices.ts';
import { freshStore, type TestStore } from '../support/stores.ts';
import { systemActor } from '../../src/shared/actor.ts';

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

describe('matchHeaders', () => {
  it('finds each field under the names French and English tools give it, accents and case aside', () => {
    const headers = [
      'N° facture',
      'Code client',
      'DATE FACTURE',
      "Date d'échéance",
      'Montant HT',
      'Montant TTC',
      'Devise',
      'Représentant',
      'Colonne perso',
    ];
    const match = matchHeaders('invoices', headers);
    expect(Object.fromEntries([...match.columns].map(([f, i]) => [f, headers[i]]))).toEqual({
      number: 'N° facture',
      customer: 'Code client',
      issue_date: 'DATE FACTURE',
      due_date: "Date d'échéance",
      total_excl_tax: 'Montant HT',
      total: 'Montant TTC',
      currency: 'Devise',
      sales_rep: 'Représentant',
    });
    expect(match.ignored).toEqual(['Colonne perso']);
    expect(match.ambiguous).toEqual([]);
  });

  it('lets a chosen mapping win and reads payments by their French names', () => {
    const headers = ['Facture', 'Date de règlement', 'Montant réglé', 'Mode de règlement', 'Libre'];
    const match = matchHeaders('payments', headers, { reference: 'Libre' });
    expect([...match.columns.keys()].sort()).toEqual(['amount', 'date', 'invoice', 'method', 'reference']);
    expect(headers[match.columns.get('reference')!]).toBe('Libre');
  });

  it('names the columns that could both hold a field instead of guessing', () => {
    expect(matchHeaders('invoices', ['Numéro', 'Client', 'Montant', 'Montant']).ambiguous).toEqual([
      { field: 'total', headers: ['Montant', 'Montant'] },
    ]);
  });

  it('gives one layout key to the same header line whatever its accents and case', () => {
    expect(headerKey(" Date d'Échéance ")).toBe('date_d_echeance');
    expect(layoutKey('invoices', ['Numéro', 'Échéance'])).toBe(layoutKey('invoices', ['NUMERO', 'echeance']));
  });
});

describe('importCsv with French headers', () => {
  let store: TestStore;
  let companyId: string;
  beforeEach(async () => {
    store = await freshStore('sqlite');
    companyId = (await ensureDefaultCompany(store.db)).id;
  });
  afterEach(async () => {
    await store.dispose();
  });
  const run = (kind: ImportKind, text: string, mapping?: Record<string, string | null>) =>
    importCsv(store.db, systemActor(companyId), {
      kind,
      fileName: `${kind}.csv`,
      bytes: new TextEncoder().encode(text),
      mapping,
    });

  it('imports an export with French headers and says which column fed each field', async () => {
    expect(
      (
        await run(
          'customers',
          csv('Code client;Raison sociale;Type;Courriel', 'C1;Société Générale Test;société;a@b.fr'),
        )
      ).committed,
    ).toBe(true);
    const report = await run(
      'invoices',
      csv('Numéro;Client;Date facture;Date échéance;Montant TTC;Devise', 'F1;C1;01/02/2026;03/03/2026;1 234,56;EUR'),
    );
    expect(report.issues).toEqual([]);
    expect(report.committed).toBe(true);
    expect(report.columns).toMatchObject({ number: 'Numéro', due_date: 'Date échéance', total: 'Montant TTC' });
    const invoices = await listInvoices(store.db, companyId, { asOf: '2026-04-01' });
    expect(invoices.map((i) => [i.number, i.dueDate, i.total])).toEqual([['F1', '2026-03-03', 123456]]);
  });

  it('reports a missing column once as a header problem, not as a bad row per line', async () => {
    const report = await run(
      'invoices',
      csv('Numéro;Client;Date facture;Montant TTC', 'F1;C1;01/02/2026;10,00', 'F2;C1;01/02/2026;20,00'),
    );
    expect(report.headerProblem).toBe(true);
    expect(report.badRows).toBe(0);
    expect(report.issues.map((i) => [i.line, i.field, i.code])).toEqual([
      [1, 'due_date', 'import.header.missing'],
      [1, 'currency', 'import.header.missing'],
    ]);
    expect(issueReason(report.issues[0]!, 'fr')).toBe("colonne obligatoire absente de l'en-tête");
  });

  it('gives each bad cell a reason in French from its code', async () => {
    await run('customers', csv('code,name,kind,email', 'C1,Acme,company,a@b.fr'));
    const report = await run(
      'invoices',
      csv(
        'Numéro;Client;Date facture;Date échéance;Montant TTC;Devise',
        'F1;C9;31/02/2026;03/03/2026;12,345;EUR',
        'F1;C1;01/02/2026;03/01/2026;abc;EUR',
      ),
    );
    const reasons = report.issues.map((i) => `${i.line} ${i.field}: ${issueReason(i, 'fr')}`);
    expect(reasons).toEqual([
      "2 customer: aucun client de code « C9 » (importez d'abord les clients)",
      "2 issue_date: « 31/02/2026 » n'existe pas dans le calendrier",
      '2 total: « 12,345 » a plus de 2 décimales pour EUR',
      "3 due_date: l'échéance du 2026-01-03 précède la date de facture du 2026-02-01",
      "3 total: « abc » n'est pas un montant (ex. 1 234,56)",
      '3 number: « F1 » figure déjà ligne 2',
    ]);
  });
});
