import { describe, expect, it } from 'vitest';
import { workspace } from './support.ts';

describe('relance import with a French export', { timeout: 120_000 }, () => {
  it('reads French headers, speaks French with --lang fr, and reports a missing column once as a header problem', async () => {
    const w = workspace();
    const customers = await w.run(
      '--lang',
      'fr',
      'import',
      'customers',
      w.file('clients.csv', 'Code client;Raison sociale;Type;Courriel', 'C1;Acme SARL;société;compta@acme.fr'),
    );
    expect(customers.stderr).toBe('');
    expect(customers.stdout).toContain(
      'clients.csv (clients, UTF-8, séparateur « ; ») : 1 ligne ; créées 1, mises à jour 0, inchangées 0.',
    );

    const invoices = await w.run(
      '--lang',
      'fr',
      'import',
      'invoices',
      w.file(
        'factures.csv',
        'Numéro;Client;Date facture;Date échéance;Montant TTC;Devise',
        'F1;C1;01/02/2026;03/03/2026;1 234,56;EUR',
        'F2;C1;01/02/2026;03/03/2026;99,90;EUR',
      ),
    );
    expect(invoices.code).toBe(0);
    expect(invoices.stdout).toContain(': 2 lignes ; créées 2');
    expect(invoices.stdout).not.toContain('Colonnes ignorées');

    const noDue = await w.run(
      '--lang',
      'fr',
      'import',
      'invoices',
      w.file(
        'sans-echeance.csv',
        'Numéro;Client;Date facture;Montant TTC;Devise',
        'F3;C1;01/02/2026;10,00;EUR',
        'F4;C1;01/02/2026;10,00;EUR',
      ),
    );
    expect(noDue.code).toBe(1);
    expect(noDue.stdout).toContain("L'en-tête de sans-echeance.csv ne convient pas ; rien n'a été importé.");
    expect(noDue.stderr).toContain(
      "en-tête, Date d'échéance : colonne obligatoire absente de l'en-tête (colonnes du fichier : Numéro, Client, Date facture, Montant TTC, Devise)",
    );
    expect(noDue.stderr).not.toMatch(/lignes? en erreur|ligne 2|ligne 3/);

    const bad = await w.run(
      '--lang',
      'fr',
      'import',
      'invoices',
      w.file(
        'erreurs.csv',
        'Numéro;Client;Date facture;Date échéance;Montant TTC;Devise',
        'F5;C9;01/02/2026;03/03/2026;10,00;EUR',
      ),
    );
    expect(bad.stderr).toContain("ligne 2, Client : aucun client de code « C9 » (importez d'abord les clients)");
    expect(bad.stderr).toContain("relance : 1 ligne en erreur dans erreurs.csv ; rien n'a été importé.");

    // A payment met again in another file, without a reference to tell it apart: a warning, in French.
    const payments = ['Facture;Date règlement;Montant;Mode de règlement', 'F1;10/02/2026;100,00;virement'];
    expect((await w.run('--lang', 'fr', 'import', 'payments', w.file('reglements.csv', ...payments))).code).toBe(0);
    const again = await w.run(
      '--lang',
      'fr',
      'import',
      'payments',
      w.file('reglements-2.csv', ...payments, 'F2;10/02/2026;9,90;chèque'),
    );
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      'attention, ligne 2 : pris pour un encaissement déjà importé : même facture, date, montant et mode de règlement',
    );
    expect(again.stderr).not.toContain('taken as already imported');

    const english = await w.run(
      '--lang',
      'en',
      'import',
      'invoices',
      w.file('missing.csv', 'number,customer,total', 'F6,C1,1.00'),
    );
    expect(english.stderr).toContain('header, Invoice date: required column is missing from the header');
    expect(english.stderr).toContain('relance: The header of missing.csv does not fit; nothing was imported.');
  });
});
