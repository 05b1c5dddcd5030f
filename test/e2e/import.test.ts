import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, logIn, SCREENSHOTS, spaces, startWorld, visit, type World } from './support.ts';

const HEADER = 'Numéro;Client;Date facture;Date échéance;Montant TTC;Devise';

describeInBrowser('CSV import in the web app', () => {
  let w: World;
  let code: string;
  beforeAll(async () => {
    w = await startWorld({ customers: 5, invoices: 20 });
    code = (
      await w.store.db
        .selectFrom('customers')
        .select('code')
        .where('company_id', '=', w.company.id)
        .orderBy('code')
        .executeTakeFirstOrThrow()
    ).code;
    await logIn(w);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  const stored = async (prefix: string) =>
    (
      await w.store.db
        .selectFrom('invoices')
        .select(['number', 'total'])
        .where('company_id', '=', w.company.id)
        .where('number', 'like', `${prefix}%`)
        .orderBy('number')
        .execute()
    ).map((i) => [i.number, i.total]);
  const choose = async (kind: string, name: string, buffer: Buffer) => {
    const { page } = w;
    await page.getByTestId('import-kind').click();
    await page.getByRole('option', { name: kind, exact: true }).click();
    await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer });
    await page.getByTestId('import-mapping').waitFor();
  };
  const mapped = (field: string) =>
    w.page.locator(`[data-testid=import-mapping] input[data-field=${field}]`).inputValue();

  it('maps a UTF-8 file with French headers, lists each bad row in French, and imports the valid rows only', async () => {
    const { page } = w;
    await visit(w, '/import');
    const file = [
      HEADER,
      `U-1;${code};01/02/2026;03/03/2026;1 234,56;EUR`,
      'U-2;INCONNU;01/02/2026;03/03/2026;10,00;EUR',
      `U-3;${code};01/02/2026;03/03/2026;douze;EUR`,
      `U-4;${code};05/02/2026;07/03/2026;99,90;EUR`,
    ].join('\r\n');
    await choose('Factures', 'factures-utf8.csv', Buffer.from(file, 'utf-8'));
    expect([await mapped('number'), await mapped('customer'), await mapped('due_date'), await mapped('total')]).toEqual(
      ['Numéro', 'Client', 'Date échéance', 'Montant TTC'],
    );
    expect(spaces(await page.getByTestId('import-mapping').textContent())).toContain("Date d'échéance");
    expect(await page.getByText('UTF-8', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-mapping.png'), fullPage: true });

    await page.getByRole('button', { name: 'Vérifier' }).click();
    const issues = page.getByTestId('import-issues');
    await issues.waitFor();
    const rows = (await issues.locator('tbody tr').allTextContents()).map(spaces);
    expect(rows).toEqual([
      "3ClientINCONNUaucun client de code « INCONNU » (importez d'abord les clients)",
      "4Montant TTCdouze« douze » n'est pas un montant (ex. 1 234,56)",
    ]);
    expect(spaces(await page.getByTestId('import-report').getByRole('alert').textContent())).toContain(
      '4 lignes, dont 2 lignes en erreur',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'import-bad-rows.png'), fullPage: true });
    expect(await stored('U-')).toEqual([]);

    await page.getByRole('button', { name: 'Importer les 2 lignes valides' }).click();
    await page.getByText('Import terminé : 4 lignes ; créées 2').waitFor();
    expect(await stored('U-')).toEqual([
      ['U-1', 123_456],
      ['U-4', 9_990],
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'import-done.png'), fullPage: true });
  });

  it('names the accepted payment methods in French, and warns in French of a payment met again', async () => {
    const { page } = w;
    const PAYMENTS = 'Facture;Date règlement;Montant;Mode de règlement';
    await visit(w, '/import');
    await choose('Encaissements', 'reglements.csv', Buffer.from(`${PAYMENTS}\nU-1;10/02/2026;10,00;bitcoin`, 'utf-8'));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByTestId('import-issues').waitFor();
    expect(spaces(await page.getByTestId('import-issues').locator('tbody tr').first().textContent())).toBe(
      '2Mode de règlementbitcoin« bitcoin » ne fait pas partie des valeurs admises (virement, chèque, CB, prélèvement, espèces ou autre)',
    );

    const first = `${PAYMENTS}\nU-1;10/02/2026;10,00;virement`;
    await visit(w, '/import');
    await choose('Encaissements', 'reglements-1.csv', Buffer.from(first, 'utf-8'));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.getByText('Import terminé : 1 ligne ; créées 1').waitFor();
    await visit(w, '/import');
    await choose('Encaissements', 'reglements-2.csv', Buffer.from(`${first}\nU-4;10/02/2026;9,90;chèque`, 'utf-8'));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    expect(spaces(await page.getByTestId('import-warning').textContent())).toMatch(
      /^Attention, ligne 2 : pris pour un encaissement déjà importé : même facture, date, montant et mode de règlement/,
    );
  });

  it('reads a Windows-1252 file, remembers a mapping chosen by hand for that layout, and imports', async () => {
    const { page } = w;
    await visit(w, '/import');
    const file = [
      "N° facture;Code client;Date d'émission;Date d'échéance;Montant TTC;Devise;Remarque",
      `W-1;${code};01/02/2026;03/03/2026;500,00;EUR;Réparation façade`,
    ].join('\r\n');
    const bytes = Buffer.from(file, 'latin1');
    await choose('Factures', 'export-1252.csv', bytes);
    expect(await page.getByText('Windows-1252', { exact: true }).count()).toBe(1);
    expect([await mapped('number'), await mapped('issue_date'), await mapped('due_date')]).toEqual([
      'N° facture',
      "Date d'émission",
      "Date d'échéance",
    ]);
    expect(await mapped('title')).toBe('');
    await page.locator('[data-testid=import-mapping] input[data-field=title]').click();
    await page.getByRole('option', { name: 'Remarque' }).click();
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByText(/Vérification : 1 ligne, aucune erreur/).waitFor();
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.getByText('Import terminé : 1 ligne ; créées 1').waitFor();
    expect(
      (await w.store.db.selectFrom('invoices').select('title').where('number', '=', 'W-1').executeTakeFirstOrThrow())
        .title,
    ).toBe('Réparation façade');

    // The next file of the same layout comes back with the hand-made choice.
    await visit(w, '/import');
    await choose('Factures', 'export-1252-bis.csv', bytes);
    await page.getByText('Correspondance mémorisée pour ce format de fichier').waitFor();
    expect(await mapped('title')).toBe('Remarque');
  });

  it('shows rows done and the time left on a large file, and says to keep the page open', async () => {
    const { page } = w;
    await visit(w, '/import');
    const lines = [HEADER];
    for (let i = 0; i < 60_000; i++)
      lines.push(
        `G-${String(i).padStart(6, '0')};${code};01/02/2026;03/03/2026;${(i % 900) + 1},${String(i % 100).padStart(2, '0')};EUR`,
      );
    await choose('Factures', 'grand-fichier.csv', Buffer.from(lines.join('\r\n'), 'utf-8'));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    const progress = page.getByTestId('import-progress');
    await progress.getByText(/lignes sur 60\s000/).waitFor({ timeout: 60_000 });
    expect(spaces(await progress.textContent())).toContain('Ne fermez pas cette page avant la fin.');
    await page.screenshot({ path: join(SCREENSHOTS, 'import-progress.png'), fullPage: true });
    await page.getByText(/Vérification : 60\s000 lignes, aucune erreur/).waitFor({ timeout: 120_000 });
    await progress.waitFor({ state: 'detached' });
  }, 180_000);
});
