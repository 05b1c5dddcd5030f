import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.ts';
import { setCreditorId } from '../../src/integrations/sepa/mandates.ts';
import { insertPayment } from '../../src/storage/allocations.ts';
import { updateCompany } from '../../src/storage/companies.ts';
import { createQuote } from '../../src/storage/quotes.ts';
import { listInvoices } from '../../src/storage/invoices.ts';
import { getCustomer } from '../../src/storage/customers.ts';
import {
  axeViolations,
  describeInBrowser,
  euros,
  logIn,
  SCREENSHOTS,
  spaces,
  startWorld,
  visit,
  type World,
} from './support.ts';

/**
 * The screens of what used to be CLI-only: Encaissements, Remises de chèques, Devis and Prélèvements SEPA, each
 * used as a bookkeeper would, with one h1 and no serious or critical axe violation.
 */
describeInBrowser('payments, cheques, quotes and SEPA in Chromium', () => {
  let w: World;
  let customer: { id: string; code: string; name: string };
  const shot = (name: string) => w.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
  const accessible = async () => {
    await w.page.locator('h1').first().waitFor();
    expect(await w.page.locator('h1').count()).toBe(1);
    expect(await axeViolations(w.page)).toEqual([]);
  };

  beforeAll(async () => {
    w = await startWorld({ customers: 12, invoices: 120 });
    const [invoice] = await listInvoices(w.store.db, w.company.id, { status: 'overdue', asOf: w.today, limit: 1 });
    customer = await getCustomer(w.store.db, w.company.id, invoice!.customerId);
    await insertPayment(w.store.db, w.company.id, {
      customerId: customer.id,
      date: w.today,
      currency: 'EUR',
      amount: 12_345,
      method: 'cheque',
      reference: 'CHQ 9876543',
      allocations: [],
    });
    await createQuote(w.store.db, w.company.id, {
      number: 'DV-2042',
      customerId: customer.id,
      date: w.today,
      validUntil: addDays(w.today, 5),
      currency: 'EUR',
      total: 150_000,
      status: 'pending',
    });
    await updateCompany(w.store.db, w.company.id, { iban: 'FR7630006000011234567890189' });
    await setCreditorId(w.store.db, w.company.id, 'FR72ZZZ123456');
    await logIn(w);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it('Encaissements: filtered by method, exported as filtered, a payment recorded and one cancelled', async () => {
    const { page } = w;
    await visit(w, '/payments');
    await page.getByTestId('payments-table').waitFor();
    await accessible();
    await page.getByTestId('payments-method').click();
    await page.getByRole('option', { name: 'Chèque' }).click();
    const row = page.locator('[data-payment="CHQ 9876543"]');
    await row.waitFor();
    const methods = await page.locator('[data-testid=payments-table] tbody tr td:nth-child(3)').allTextContents();
    expect(methods.every((m) => m.startsWith('Chèque'))).toBe(true);
    expect(spaces(await row.textContent())).toContain(spaces(euros(12_345)));
    await shot('payments');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('payments-export-csv').click()]);
    const path = join(w.dir, csv.suggestedFilename());
    await csv.saveAs(path);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('CHQ 9876543');
    expect(text).not.toContain('Virement');

    // Recorded by hand, allocated to the customer's oldest open invoices, then cancelled.
    const form = page.getByTestId('payment-form');
    await form.getByTestId('payment-customer').fill(customer.code);
    await page
      .getByRole('option', { name: new RegExp(customer.code) })
      .first()
      .click();
    await form.getByLabel('Montant').fill('10,00');
    await form.getByLabel('Référence').fill('CHQ 5550001');
    await form.getByRole('button', { name: 'Enregistrer un encaissement' }).click();
    const added = page.locator('[data-payment="CHQ 5550001"]');
    await added.waitFor();
    expect(spaces(await added.locator('td').nth(5).textContent())).toBe('—');
    page.once('dialog', (dialog) => void dialog.accept());
    await added.getByTestId('payment-cancel').click();
    await expect.poll(() => added.count()).toBe(0);
  });

  it('Remises de chèques: the chosen cheques go on a numbered slip whose PDF downloads', async () => {
    const { page } = w;
    await visit(w, '/cheques');
    await page.getByTestId('cheques-waiting').waitFor();
    await accessible();
    await page.locator('[data-cheque="CHQ 9876543"] input[type=checkbox]').check();
    expect(spaces(await page.getByTestId('make-slip').textContent())).toBe(
      `Faire le bordereau (1 chèque, ${spaces(euros(12_345))})`,
    );
    await shot('cheques');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('make-slip').click()]);
    expect(pdf.suggestedFilename()).toMatch(/^remise-cheques-1-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = join(w.dir, pdf.suggestedFilename());
    await pdf.saveAs(file);
    expect(readFileSync(file).subarray(0, 4).toString()).toBe('%PDF');
    await page.locator('[data-slip="1"]').waitFor();
    expect(await page.locator('[data-cheque="CHQ 9876543"]').count()).toBe(0);
  });

  it('Devis: the quote listed, its follow-up policy changed and what will be sent shown', async () => {
    const { page } = w;
    await visit(w, '/quotes');
    await page.locator('[data-quote="DV-2042"]').waitFor();
    await accessible();
    expect(spaces(await page.locator('[data-quote="DV-2042"]').textContent())).toContain(customer.name);
    const policy = page.getByTestId('quote-policy');
    await policy.locator('[data-step="1"] input').first().fill('Votre devis expire bientôt');
    await policy.getByTestId('quote-policy-save').click();
    await page.getByText('Relances de devis enregistrées.').waitFor();
    // The quote expires in 5 days and the step is 7 days before expiry: it is due today, under its new label.
    await page.getByLabel('Le', { exact: true }).fill(w.today);
    await expect
      .poll(async () => spaces(await page.getByTestId('follow-ups').textContent()))
      .toContain('Votre devis expire bientôt');
    await shot('quotes');
    await page.getByRole('link', { name: 'Importer des devis' }).click();
    await page.waitForURL(/\/import\?kind=quotes/);
    await page.locator('h1').waitFor();
  });

  it('Prélèvements SEPA: a mandate recorded, a pain.008 file made and downloaded, its debits pending', async () => {
    const { page } = w;
    await visit(w, '/sepa');
    await page.getByTestId('mandate-form').waitFor();
    await accessible();
    const form = page.getByTestId('mandate-form');
    await form.getByLabel('Code client').fill(customer.code);
    await form.getByLabel('Référence (RUM)').fill('RUM-E2E-1');
    await form.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
    await form.getByRole('button', { name: 'Enregistrer le mandat' }).click();
    await page.locator('[data-mandate="RUM-E2E-1"]').waitFor();
    // A Tuesday and no TARGET holiday: a settlement day.
    await page.getByLabel('Date d’échéance du prélèvement').fill('2099-03-03');
    const [xml] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sepa-make').click()]);
    const file = join(w.dir, xml.suggestedFilename());
    await xml.saveAs(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('pain.008');
    expect(text).toContain('RUM-E2E-1');
    await page.getByTestId('sepa-pending').waitFor();
    expect(spaces(await page.getByTestId('sepa-pending').textContent())).toContain(customer.code);
    await shot('sepa');
  });

  it('Factures: a click on Solde sorts by balance, a second one reverses it, and the next page follows on', async () => {
    const { page } = w;
    await visit(w, '/invoices');
    const rows = page.locator('[data-testid=invoice-table] tbody tr');
    await rows.first().waitFor();
    const column =
      1 +
      (await page
        .locator('[data-testid=invoice-table] thead th')
        .evaluateAll((ths) => ths.findIndex((th) => th.querySelector('[data-sort=balance]') !== null)));
    const balances = async () =>
      (await rows.locator(`td:nth-child(${column})`).allTextContents()).map((s) =>
        Number(s.replace(/[^\d,-]/g, '').replace(',', '.')),
      );
    await page.locator('[data-sort=balance]').click();
    await expect.poll(async () => page.locator('th[aria-sort=ascending]').count()).toBe(1);
    const asc = await balances();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await page.locator('[data-sort=balance]').click();
    await expect.poll(async () => page.locator('th[aria-sort=descending]').count()).toBe(1);
    await expect.poll(async () => (await balances())[0]).toBeGreaterThan(asc[asc.length - 1]!);
    const desc = await balances();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page.getByTestId('next-page').click();
    await expect.poll(async () => (await balances())[0]).toBeLessThanOrEqual(desc[desc.length - 1]!);
    const second = await balances();
    expect(second).toEqual([...second].sort((a, b) => b - a));
  });
});
