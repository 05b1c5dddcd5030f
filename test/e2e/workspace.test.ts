import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { flagBouncedAddresses, listContacts } from '../../src/storage/customers.ts';
import { setCustomerDunning } from '../../src/storage/dunning.ts';
import { listInvoices } from '../../src/storage/invoices.ts';
import { rawQuery } from '../../src/storage/database.ts';
import {
  axeViolations,
  describeInBrowser,
  logIn,
  SCREENSHOTS,
  spaces,
  startWorld,
  visit,
  type World,
} from './support.ts';

type Doc = {
  document: {
    activeElement: { id: string; getAttribute(name: string): string | null } | null;
    body: { scrollHeight: number };
  };
};

/**
 * The collector's workspace beyond the lists: accessibility of every screen (axe-core, headings, titles,
 * skip link), the Relances categories and columns, the customer page (contacts, notes, tasks), the
 * outbox message, automatic mode and the Rapports screen.
 */
describeInBrowser('collector workspace in Chromium', () => {
  let w: World;
  const shot = (name: string) => w.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    w = await startWorld();
    await logIn(w);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  const violations = () => axeViolations(w.page);

  it('every screen has one h1, its own page title and no serious or critical axe violation; the skip link is the first Tab stop', async () => {
    const { page, store, company, today } = w;
    const [invoice] = await listInvoices(store.db, company.id, { status: 'overdue', asOf: today, limit: 1 });
    const screens = [
      '/',
      '/relances',
      '/invoices',
      '/customers',
      `/customers/${invoice!.customerId}`,
      `/invoices/${invoice!.id}`,
      '/compose',
      '/sent',
      '/outbox',
      '/bank',
      '/reports',
      '/payments',
      '/cheques',
      '/quotes',
      '/sepa',
      '/import',
      '/settings',
      ...['templates', 'company', 'mail', 'automation', 'rates', 'users'].map((tab) => `/settings/${tab}`),
    ];
    const titles = new Set<string>();
    const problems: string[] = [];
    for (const path of screens) {
      await visit(w, path);
      await page.locator('h1').first().waitFor();
      expect(await page.locator('h1').count(), path).toBe(1);
      titles.add(await page.title());
      problems.push(...(await violations()).map((v) => `${path}: ${v}`));
    }
    expect(problems).toEqual([]);
    expect(titles.size).toBe(screens.length);
    await visit(w, '/relances');
    await page.locator('h1').first().waitFor();
    // From the top of a freshly loaded screen, as a keyboard user arrives.
    await page.evaluate(() =>
      (
        globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }
      ).document.activeElement?.blur?.(),
    );
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.getAttribute('data-testid')),
    ).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.id)).toBe('main');
  }, 300_000);

  it('Relances: overdue invoices before their first step and held ones have a category; new columns; export; j/k/x shortcuts', async () => {
    const { page } = w;
    await visit(w, '/relances');
    const cards = page.getByTestId('categories').locator('[data-category]');
    await cards.first().waitFor();
    const keys = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
    expect(keys).toContain('upcoming');
    expect(keys.some((k) => k?.startsWith('held-'))).toBe(true);
    await page.locator('[data-category=upcoming]').click();
    const rows = page.locator('[data-testid=invoice-table] tbody tr');
    await rows.first().waitFor();
    const headers = spaces(await page.getByTestId('invoice-table').locator('thead').textContent());
    for (const h of ['Titre', 'Mois', 'Dépassement (J+1)', 'Prochaine relance']) expect(headers).toContain(h);
    await shot('relances');
    // Keyboard: j moves to the first row, x selects it.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect
      .poll(async () => spaces(await page.getByTestId('selection-totals').locator('[data-field=count]').textContent()))
      .toBe('1 facture');
    expect(spaces(await page.getByTestId('list-shortcuts').textContent())).toContain('x cocher');
    await page.getByTestId('export').click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const path = join(w.dir, csv.suggestedFilename());
    await csv.saveAs(path);
    const lines = readFileSync(path, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines.length - 1).toBe(await rows.count());
  });

  it('customer page: a bounced address is shown and fixed, a task goes to the dashboard, Débloquer only when blocked', async () => {
    const { page, store, company, today } = w;
    const [invoice] = await listInvoices(store.db, company.id, { status: 'overdue', asOf: today, limit: 1 });
    const customerId = invoice!.customerId;
    const [contact] = await listContacts(store.db, company.id, customerId);
    await flagBouncedAddresses(store.db, company.id, [contact!.email!], '550 5.1.1 unknown user');
    await visit(w, `/customers/${customerId}`);
    await page.getByTestId('bounced').waitFor();
    // What the bounce means, in French; the receiving server's own words only as the detail.
    expect(await page.getByTestId('bounced').textContent()).toContain("l'adresse du destinataire n'existe pas");
    expect(await page.getByTestId('bounced').textContent()).not.toContain('unknown user');
    expect(await page.getByTestId('bounce-detail').textContent()).toContain('550 5.1.1 unknown user');
    expect(await page.getByTestId('unblock').count()).toBe(0);
    await page.getByTestId('contact-edit').first().click();
    await page.locator('input[name=contact-email]').fill('nouvelle.compta@client.example');
    await page.getByTestId('contact-save').click();
    await expect.poll(() => page.getByTestId('bounced').count()).toBe(0);
    expect((await listContacts(store.db, company.id, customerId)).find((c) => c.id === contact!.id)?.email).toBe(
      'nouvelle.compta@client.example',
    );

    await page.getByTestId('activities').getByText('Tâche', { exact: true }).click();
    await page.locator('textarea[name=activity-body]').fill('Rappeler le comptable');
    // The date is typed as a French reader writes it, whatever the browser's locale.
    await page.getByLabel('Pour le').fill('12/01/2027');
    await page.getByLabel('Pour le').blur();
    expect(await page.locator('input[name=task-due]').inputValue()).toBe('2027-01-12');
    await page.getByTestId('activity-add').click();
    await page.getByTestId('activities').getByText('Rappeler le comptable').waitFor();
    await shot('customer');
    await visit(w, '/');
    expect(spaces(await page.getByTestId('my-tasks').textContent())).toContain('Rappeler le comptable');

    await setCustomerDunning(store.db, company.id, invoice!.customerCode, { blockedReason: 'Litige commercial' });
    await visit(w, `/customers/${customerId}`);
    await page.getByTestId('unblock').click();
    await page.getByTestId('block').waitFor();
  });

  it('automatic mode shows the next run; the simulation is compact and its e-mail goes out; the outbox opens it as received', async () => {
    const { page, sink } = w;
    await visit(w, '/settings/automation');
    await page.getByTestId('next-run').waitFor();
    expect(spaces(await page.getByTestId('next-run').textContent())).toMatch(/désactivé|Prochaine exécution/);
    const height = await page.evaluate(() => (globalThis as unknown as Doc).document.body.scrollHeight);
    expect(height).toBeLessThan(3_000);
    await page.getByTestId('send-simulation').click();
    await expect.poll(() => sink.received.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await visit(w, '/outbox');
    await page.getByTestId('open-message').first().click();
    await page.getByTestId('message-attachments').waitFor();
    await shot('outbox-message');
    await page.getByRole('tab', { name: 'Texte' }).click();
    expect(spaces(await page.getByTestId('message-text').textContent()).length).toBeGreaterThan(20);
  });

  it('Rapports: the aged balance sorts by a column and the charts link to the matching lists', async () => {
    const { page } = w;
    await visit(w, '/reports');
    const rows = page.locator('[data-testid=aging-table] tbody tr');
    await rows.first().waitFor();
    const balances = async () =>
      (await rows.locator('[data-field=balance]').allTextContents()).map((s) =>
        Number(s.replace(/[^\d,]/g, '').replace(',', '.')),
      );
    const desc = await balances();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page.locator('[data-sort=balance]').click();
    const asc = await balances();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await shot('reports');
    await page.locator('[data-testid=aging-table] tfoot a').last().click();
    await page.waitForURL(/\/invoices\?/);
    expect(page.url()).toMatch(/dueTo=/);
  });
  it('Paramètres › Taux: an administrator records a rate typed the French way, dd/mm/yyyy and a decimal comma', async () => {
    const { page, store, company } = w;
    await visit(w, '/settings/rates');
    await page.getByLabel('En vigueur le').fill('15/10/2026');
    await page.getByLabel('Taux (%)').fill('2,15');
    await page.getByRole('textbox', { name: 'Source', exact: true }).fill('BCE, décision du 10/10/2026');
    await page.getByRole('button', { name: 'Ajouter' }).click();
    const row = page.getByRole('row').filter({ hasText: '15/10/2026' });
    await expect.poll(() => row.count()).toBe(1);
    expect(spaces(await row.textContent())).toContain('2,15 %');
    const stored = await rawQuery(
      store.db,
      `select series, rate_bp from late_payment_rates where company_id = '${company.id}' and effective_from = '2026-10-15'`,
    );
    expect(stored).toEqual([{ series: 'ecb_mro', rate_bp: 215 }]);
  });
});
