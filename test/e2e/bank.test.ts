import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser } from '../../src/accounts/auth.ts';
import { listInvoices } from '../../src/storage/invoices.ts';
import { camt053 } from '../integrations/support/camt.ts';
import { generateEInvoice } from '../integrations/support/einvoice-samples.ts';
import { describeInBrowser, euros, logIn, SCREENSHOTS, spaces, startWorld, visit, type World } from './support.ts';

const decimal = (cents: number) => (cents / 100).toFixed(2);

describeInBrowser('bank statements and e-invoices in the web app', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    await logIn(w);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  const invoice = (number: string) =>
    w.store.db
      .selectFrom('invoices')
      .select(['total', 'allocated', 'status'])
      .where('company_id', '=', w.company.id)
      .where('number', '=', number)
      .executeTakeFirstOrThrow();

  it('imports a statement, lists the credit no rule matched, and settles it by hand from a suggestion', async () => {
    const { page } = w;
    const open = await listInvoices(w.store.db, w.company.id, {
      status: 'open',
      asOf: w.today,
      limit: 400,
      sort: 'number',
    });
    const byReference = open.find((i) => i.balance > 0 && i.balance === i.total)!;
    // The payer writes its own name, not the customer's: no rule recognises it, but its telling word finds the customer.
    const word = (name: string) =>
      name
        .split(/[^\p{L}]+/u)
        .filter((x) => x.length >= 5)
        .sort((a, b) => b.length - a.length)[0];
    const byHand = open.find(
      (i) =>
        i.id !== byReference.id &&
        i.customerId !== byReference.customerId &&
        i.balance > 0 &&
        i.customerName.split(' ').length > 1 &&
        word(i.customerName) !== undefined,
    )!;
    const payer = `M. ${word(byHand.customerName)!.toUpperCase()} JEAN-PHILIPPE`;
    // A credit from a payer nobody knows, of exactly the balance of a third customer's invoice.
    const byAmount = open.find(
      (i) => i.balance > 0 && ![byReference.customerId, byHand.customerId].includes(i.customerId),
    )!;
    const xml = camt053([
      {
        amount: decimal(byReference.balance),
        sign: 'CRDT',
        date: w.today,
        txs: [{ debtor: 'Client payeur', ustrd: `Facture ${byReference.number}` }],
      },
      {
        amount: decimal(byHand.balance),
        sign: 'CRDT',
        date: w.today,
        txs: [{ debtor: payer, ustrd: 'Virement du mois' }],
      },
      {
        amount: decimal(byAmount.balance),
        sign: 'CRDT',
        date: w.today,
        txs: [{ debtor: 'Assurance Remboursement', ustrd: 'Sinistre 8812' }],
      },
    ]);

    await visit(w, '/');
    await page.getByRole('navigation').getByRole('link', { name: 'Banque' }).click();
    await page.getByRole('heading', { name: 'Banque' }).waitFor();
    await page.getByText('Aucun crédit à rapprocher.').waitFor();
    await page
      .getByTestId('bank-drop')
      .locator('input[type=file]')
      .setInputFiles({ name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    const report = page.getByTestId('bank-report');
    await report.waitFor();
    expect(spaces(await report.getByRole('alert').first().textContent())).toContain(
      '3 crédits lus, 1 rapproché automatiquement, 2 à rapprocher',
    );
    expect(spaces(await report.locator('tr[data-status=matched]').textContent())).toContain(
      `${byReference.number} (référence)`,
    );
    expect(spaces(await report.locator('tr[data-status=unmatched]').first().textContent())).toContain(
      'aucun numéro de facture dans la référence et payeur non reconnu',
    );
    expect(await invoice(byReference.number)).toMatchObject({ status: 'issued', allocated: byReference.total });

    const lines = page.getByTestId('bank-lines-unmatched').locator('tbody tr');
    await expect.poll(() => lines.count()).toBe(2);
    const line = lines.filter({ hasText: payer });
    expect(spaces(await line.locator('[data-field=amount]').textContent())).toBe(spaces(euros(byHand.balance)));
    await page.screenshot({ path: join(SCREENSHOTS, 'bank.png') });

    await line.getByRole('button', { name: 'Rapprocher' }).click();
    const matcher = page.getByTestId('bank-matcher');
    const suggestion = matcher.locator(`tr[data-number="${byHand.number}"]`);
    await suggestion.waitFor();
    expect(spaces(await suggestion.textContent())).toContain('même montant');
    await suggestion.getByRole('checkbox').check();
    expect(spaces(await matcher.getByTestId('bank-selection').textContent())).toContain(
      `1 facture choisie, solde ${spaces(euros(byHand.balance))}`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'bank-match.png') });
    await matcher.getByRole('button', { name: 'Rapprocher' }).click();
    await matcher.waitFor({ state: 'detached' });
    await expect.poll(() => lines.count()).toBe(1);
    expect(await invoice(byHand.number)).toMatchObject({ status: 'issued', allocated: byHand.total });
    await page.goto(`${w.url}/invoices/${byHand.id}`);
    await page.getByTestId('badge-paid').waitFor();
    await page.goBack();

    // The payer is unknown, yet an open invoice of another customer has exactly the amount: it is suggested.
    await lines.first().getByRole('button', { name: 'Rapprocher' }).click();
    const sameAmount = matcher.locator(`tr[data-number="${byAmount.number}"]`);
    await sameAmount.waitFor();
    expect(spaces(await sameAmount.textContent())).toContain('même montant');
    await matcher.getByRole('button', { name: 'Annuler' }).click();
    await matcher.waitFor({ state: 'detached' });

    // A credit that is no payment is set aside after a confirmation, and shows under "Ignorés".
    await lines.first().getByRole('button', { name: 'Ignorer' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Ignorer' }).click();
    await page.getByText('Aucun crédit à rapprocher.').waitFor();
    await page.getByRole('tab', { name: 'Ignorés' }).press('Enter');
    expect(spaces(await page.getByTestId('bank-lines-ignored').textContent())).toContain('Assurance Remboursement');
    await page.getByRole('tab', { name: /Rapprochés/ }).click();
    expect(spaces(await page.getByTestId('bank-lines-matched').textContent())).toContain(payer);
  });

  it('refuses a CSV statement with an unreadable line, naming it, then imports it without that line on request', async () => {
    const { page } = w;
    await visit(w, '/bank');
    // From the keyboard: the drop zone's "parcourir" takes the focus and opens the file chooser with Enter.
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('bank-drop').getByText('parcourir').focus();
    await page.keyboard.press('Enter');
    await (
      await chooser
    ).setFiles({
      name: 'releve.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Date;Libellé;Montant\n02/03/2025;VIR INCONNU;42,00\n31/02/2025;VIR AUTRE;10,00\n'),
    });
    await expect
      .poll(async () => spaces(await page.getByRole('alert').first().textContent()))
      .toContain('Ligne 3 · Date');
    await page.getByRole('button', { name: 'Importer sans les lignes illisibles' }).click();
    await page.getByTestId('bank-report').waitFor();
    expect(spaces(await page.getByTestId('bank-skipped').textContent())).toContain(
      "« 31/02/2025 » n'existe pas dans le calendrier",
    );
    expect(spaces(await page.getByTestId('bank-lines-unmatched').textContent())).toContain('VIR INCONNU');
  });

  it("imports several e-invoices from the import page and tells each file's outcome", async () => {
    const { page } = w;
    const pdf = await generateEInvoice(
      {
        number: 'FX-2026-1',
        issueDate: w.today,
        net: '100.00',
        vat: '20.00',
        total: '120.00',
        due: '120.00',
        buyer: { name: 'Atelier Nouveau', siren: '552100554' },
      },
      'factur-x',
    );
    await visit(w, '/import');
    await page.getByTestId('import-mode').getByText('Factures électroniques (Factur-X, UBL, CII)').click();
    await page
      .getByTestId('einvoice-drop')
      .locator('input[type=file]')
      .setInputFiles([
        { name: 'FX-2026-1.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) },
        { name: 'notes.xml', mimeType: 'application/xml', buffer: Buffer.from('<x') },
      ]);
    await page.getByRole('button', { name: 'Importer 2 fichiers' }).click();
    await expect.poll(async () => spaces(await page.getByRole('alert').first().textContent())).toContain('notes.xml');
    await page.getByRole('button', { name: 'Importer les fichiers valides seulement' }).click();
    const report = page.getByTestId('einvoice-report');
    await report.waitFor();
    expect(await report.locator('tr[data-file="FX-2026-1.pdf"]').getAttribute('data-outcome')).toBe('imported');
    expect(spaces(await report.locator('tr[data-file="FX-2026-1.pdf"]').textContent())).toContain('FX-2026-1');
    expect(await report.locator('tr[data-file="notes.xml"]').getAttribute('data-outcome')).toBe('rejected');
    expect(spaces(await report.locator('tr[data-file="notes.xml"]').textContent())).toContain('XML mal formé, ligne 1');
    expect(await invoice('FX-2026-1')).toMatchObject({ total: 12000, status: 'issued' });
  });

  it('lets a collector match without uploading, and shows a viewer the page without any action', async () => {
    // Each role is another person logging in a browser of their own.
    const as = async (role: 'collector' | 'viewer') => {
      const { generatedPassword } = await addUser(w.store.db, w.company.id, { email: `${role}@bank.example`, role });
      const context = await w.browser.newContext({ locale: 'fr-FR', viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${w.url}/`);
      await page.locator('input[name=email]').fill(`${role}@bank.example`);
      await page.locator('input[name=password]').fill(generatedPassword!);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Banque' }).click();
      await page.getByRole('heading', { name: 'Banque' }).waitFor();
      return { page, context };
    };
    const collector = await as('collector');
    await collector.page.getByRole('tab', { name: /Rapprochés/ }).click();
    await collector.page.getByTestId('bank-lines-matched').waitFor();
    expect(await collector.page.getByText('Seul un administrateur peut importer un relevé.').count()).toBe(1);
    expect(await collector.page.getByTestId('bank-drop').count()).toBe(0);
    await collector.context.close();

    // A viewer reads the lists, with what each matched credit paid, and is offered no action.
    const viewer = await as('viewer');
    await viewer.page.getByRole('tab', { name: /Rapprochés/ }).click();
    await viewer.page.getByTestId('bank-lines-matched').waitFor();
    const settled = await viewer.page.locator('[data-field=invoices]').allInnerTexts();
    expect(settled.length).toBeGreaterThan(0);
    expect(settled.every((text) => /\S/.test(text) && text !== '—')).toBe(true);
    expect(await viewer.page.getByRole('button', { name: 'Rapprocher' }).count()).toBe(0);
    expect(await viewer.page.getByRole('button', { name: 'Ignorer' }).count()).toBe(0);
    expect(await viewer.page.getByTestId('bank-drop').count()).toBe(0);
    await viewer.context.close();
  });
});
