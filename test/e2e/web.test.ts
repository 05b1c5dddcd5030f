import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.ts';
import { planDunning } from '../../src/dunning/run-dunning.ts';
import { getPolicy, listPolicies, listReminders, recordCommunication } from '../../src/storage/dunning.ts';
import { invoiceTotals, listInvoices } from '../../src/storage/invoices.ts';
import { listOutbox } from '../../src/storage/outbox.ts';
import { DEMO_IDENTITY } from '../../src/demo/demo-company.ts';
import { describeInBrowser, euros, SCREENSHOTS, spaces, startWorld, type World } from './support.ts';

describeInBrowser('web app in Chromium', () => {
  let w: World;
  const shot = (name: string) => w.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const go = async (path: string) => {
    await w.page.goto(`${w.url}${path}`);
    await w.page.waitForLoadState('networkidle');
  };

  beforeAll(async () => {
    w = await startWorld();
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it('logs in with the printed demo login and opens the dashboard', async () => {
    const { page } = w;
    await go('/');
    await page.locator('input[name=email]').fill(w.login.email);
    await page.locator('input[name=password]').fill('wrong password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBeTruthy();
    await shot('login');
    await page.locator('input[name=password]').fill(w.login.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
    await page.getByText('Balance âgée').waitFor();
    await page.waitForLoadState('networkidle');
    await shot('dashboard');
    expect(await page.getByTestId('company-switch').count()).toBe(1);
  });

  it('filters invoices, shift-selects a range and shows the totals of the selection and of the filter', async () => {
    const { page, store, company, today } = w;
    await go('/invoices?status=overdue');
    const rows = page.locator('[data-testid=invoice-table] tbody tr');
    await rows.first().waitFor();
    const expected = await listInvoices(store.db, company.id, {
      status: 'overdue',
      asOf: today,
      limit: 50,
      sort: 'number',
    });
    expect(await rows.count()).toBe(expected.length);
    expect(await rows.first().getAttribute('data-number')).toBe(expected[0]!.number);

    await rows.nth(0).getByTestId('row-select').click();
    await rows
      .nth(4)
      .getByTestId('row-select')
      .click({ modifiers: ['Shift'] });
    const chosen = expected.slice(0, 5);
    const selection = page.getByTestId('selection-totals');
    await expect
      .poll(async () => spaces(await selection.locator('[data-field=count]').textContent()))
      .toBe('5 factures');
    expect(spaces(await selection.locator('[data-field=balance]').textContent())).toBe(
      spaces(euros(chosen.reduce((n, i) => n + i.balance, 0))),
    );
    expect(spaces(await selection.locator('[data-field=total]').textContent())).toBe(
      spaces(euros(chosen.reduce((n, i) => n + i.total, 0))),
    );
    expect(spaces(await selection.locator('[data-field=totalExclTax]').textContent())).toBe(
      spaces(euros(chosen.reduce((n, i) => n + (i.totalExclTax ?? 0), 0))),
    );

    // Shift-click again inside the range unselects it: rows 2..4 off, 0..1 stay.
    await rows.nth(2).getByTestId('row-select').click();
    await rows
      .nth(4)
      .getByTestId('row-select')
      .click({ modifiers: ['Shift'] });
    await expect
      .poll(async () => spaces(await selection.locator('[data-field=count]').textContent()))
      .toBe('2 factures');

    const [filter] = await invoiceTotals(store.db, company.id, { status: 'overdue', asOf: today });
    const filterLine = page.getByTestId('filter-totals');
    expect(spaces(await filterLine.locator('[data-field=balance]').textContent())).toBe(spaces(euros(filter!.balance)));
    expect(spaces(await filterLine.locator('[data-field=count]').textContent())).toBe(`${filter!.count} factures`);
    await shot('invoices');

    // The export holds the whole filter, not the page: one line per invoice, amounts with a decimal comma.
    await page.getByTestId('export').click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvPath = join(w.dir, csv.suggestedFilename());
    await csv.saveAs(csvPath);
    const lines = readFileSync(csvPath, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'N° facture;Code client;Client;Date facture;Échéance;Devise;Montant HT;Montant TTC;Solde;Jours de retard;' +
        'Représentant;Litige;Dernière relance;Libellé;En retard depuis;Prochaine relance',
    );
    expect(lines).toHaveLength(filter!.count + 1);
    expect(lines[1]!.split(';')[0]).toBe(expected[0]!.number);
    expect(lines[1]!.split(';')[8]).toBe(String(expected[0]!.balance / 100).replace('.', ','));

    if (filter!.count > expected.length) {
      await page.getByTestId('select-page').click();
      await page.getByTestId('select-all-matching').click();
      await expect
        .poll(async () => spaces(await selection.locator('[data-field=balance]').textContent()))
        .toBe(spaces(euros(filter!.balance)));
    }
  });

  it('generates the printable PDF of the selected reminders and downloads it', async () => {
    const { page } = w;
    await go('/relances');
    await page.getByTestId('categories').locator('[data-category]').first().waitFor();
    await shot('relances');
    await page.getByTestId('categories').locator('[data-category]').first().click();
    const rows = page.locator('[data-testid=invoice-table] tbody tr');
    await rows.first().waitFor();
    await rows.nth(0).getByTestId('row-select').click();
    if ((await rows.count()) > 1)
      await rows
        .nth(1)
        .getByTestId('row-select')
        .click({ modifiers: ['Shift'] });
    await page.getByTestId('generate').click();
    await page.getByTestId('confirm-text').waitFor();
    expect(await page.getByTestId('confirm-text').textContent()).toContain('PDF');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('confirm-generate').click()]);
    const path = join(w.dir, download.suggestedFilename());
    await download.saveAs(path);
    expect(download.suggestedFilename()).toMatch(/^relances-\d{4}-\d{2}-\d{2}\.pdf$/);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);
  });

  it('prints and records the selected reminders as sent by post, with the invoice copies', async () => {
    const { page, store, company } = w;
    await go('/relances?category=level-1');
    const rows = page.locator('[data-testid=invoice-table] tbody tr');
    await rows.first().waitFor();
    const number = (await rows.nth(0).getAttribute('data-number'))!;
    await rows.nth(0).getByTestId('row-select').click();
    await page.getByTestId('generate').click();
    await page.getByTestId('print-record').click();
    await page.getByTestId('print-copies').click();
    expect(await page.getByTestId('confirm-text').textContent()).toMatch(
      /enregistrée aujourd'hui comme envoyée par courrier/,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('confirm-generate').click()]);
    const path = join(w.dir, download.suggestedFilename());
    await download.saveAs(path);
    expect(download.suggestedFilename()).toMatch(/^relances-[0-9a-f-]{36}\.pdf$/);
    expect((await PDFDocument.load(readFileSync(path))).getPageCount()).toBeGreaterThanOrEqual(2);
    await page.getByText(/1 relance enregistrée comme envoyée par courrier/).waitFor();
    const history = await listReminders(store.db, company.id, { invoiceNumber: number });
    expect(history.map((r) => [r.level, r.channel])).toEqual([[1, 'letter']]);
  });

  it('sends the reminders of a selection by e-mail after a confirmation, and they reach the SMTP peer', async () => {
    const { page, store, company, sink } = w;
    await go('/relances?category=level-1');
    const rows = page.locator('[data-testid=invoice-table] tbody tr');
    await rows.first().waitFor();
    await rows.nth(0).getByTestId('row-select').click();
    await rows
      .nth(Math.min(2, (await rows.count()) - 1))
      .getByTestId('row-select')
      .click({ modifiers: ['Shift'] });
    await page.getByLabel('E-mails').check();
    await page.getByTestId('generate').click();
    await page.getByTestId('confirm-text').waitFor();
    expect(await page.getByTestId('confirm-text').textContent()).toMatch(
      /Relances enregistrées et envoyées maintenant : \d+/,
    );
    expect(sink.received).toHaveLength(0);
    await page.getByTestId('confirm-generate').click();
    // The page reports the sending once the server has dispatched and marked the messages sent; the peer
    // sees each message a moment before its row says so.
    await page.getByText(/e-mails envoyés : \d+/).waitFor({ timeout: 30_000 });
    expect(sink.received.length).toBeGreaterThan(0);
    const sent = await listOutbox(store.db, company.id, { status: 'sent' });
    expect(sent.length).toBe(sink.received.length);
    expect(new Set(sink.received.map((m) => m.messageId))).toEqual(new Set(sent.map((m) => m.messageId)));
    for (const message of sent)
      expect(sink.received.find((r) => r.messageId === message.messageId)!.to).toEqual(
        expect.arrayContaining(message.to),
      );
    await go('/outbox');
    await page.getByTestId('outbox').waitFor();
    await shot('outbox');
    await go('/sent');
    await page.getByTestId('sent-register').waitFor();
    await shot('sent-register');
  });

  it("records the reminders of a step sent by post and offers the run's letters to print", async () => {
    const { page, store, company, today } = w;
    // The default policy's third step (2ème relance) goes by e-mail and by letter: an invoice long overdue gets its first
    // two reminders recorded weeks ago, so that the third is due today.
    const open = await listInvoices(store.db, company.id, { status: 'overdue', asOf: today, limit: 400 });
    const late = open.find((i) => i.daysOverdue > 60 && i.balance >= 10_000)!;
    for (const [level, days] of [
      [1, 40],
      [2, 25],
    ] as const) {
      await recordCommunication(store.db, company.id, {
        runId: null,
        customerId: late.customerId,
        currency: late.currency,
        level,
        label: `Relance ${level}`,
        date: addDays(today, -days),
        channels: ['email'],
        invoices: [{ invoiceId: late.id, level }],
        state: 'sent', // a reminder that left
      });
    }
    await go(`/relances?category=level-3&customer=${encodeURIComponent(late.customerCode)}`);
    const row = page.locator(`[data-testid=invoice-table] tbody tr[data-number="${late.number}"]`);
    await row.waitFor();
    await row.getByTestId('row-select').click();
    await page.getByLabel('E-mails').check();
    await page.getByTestId('generate').click();
    await page.getByTestId('confirm-text').waitFor();
    expect(await page.getByTestId('confirm-text').textContent()).toMatch(/courriers : [1-9]\d*/);
    await page.getByTestId('confirm-generate').click();
    const button = page.getByTestId('download-run-letters');
    await button.waitFor({ timeout: 30_000 });
    expect(await button.textContent()).toMatch(/Télécharger (le courrier|les [1-9]\d* courriers) à poster/);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const path = join(w.dir, download.suggestedFilename());
    await download.saveAs(path);
    expect(download.suggestedFilename()).toMatch(/^relances-[0-9a-f-]{36}\.pdf$/);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);
    // The letter of a reminder already sent is printed again from the invoice's history.
    await go(`/invoices/${late.id}`);
    const third = page.getByTestId('reminder-history').locator('tr[data-level="3"]');
    await third.waitFor();
    const [again] = await Promise.all([page.waitForEvent('download'), third.getByTestId('reminder-letter').click()]);
    expect(again.suggestedFilename()).toBe(`relance-${late.customerCode}-${today}.pdf`);
    const letter = join(w.dir, again.suggestedFilename());
    await again.saveAs(letter);
    expect(readFileSync(letter).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The register of reminders sent: the invoice with its lateness, amount, balance and the date of each level, opening its page.
    await go('/sent');
    await page.getByLabel('Client').fill(late.customerCode);
    const sentRow = page.getByTestId('sent-register').locator(`tr[data-number="${late.number}"]`);
    await sentRow.waitFor();
    expect(spaces(await sentRow.locator('[data-field=balance]').textContent())).toBe(spaces(euros(late.balance)));
    expect(spaces(await sentRow.locator('[data-field=total]').textContent())).toBe(spaces(euros(late.total)));
    expect(await sentRow.locator('[data-field=late]').textContent()).toBe(`${late.daysOverdue} j`);
    expect(spaces(await sentRow.textContent())).toContain(
      spaces(new Date(`${today}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' })),
    );
    await sentRow.getByRole('link', { name: late.number }).click();
    await page.getByTestId('reminder-history').waitFor();
  });

  it('saves the policy as you type, and the change is still there after a reload', async () => {
    const { page, store, company } = w;
    await go('/settings/policy');
    const label = page.locator('input[name="steps.0.label"]');
    await label.fill('Relance courtoise');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Enregistré');
    await shot('settings-policy');
    await page.reload();
    await page.locator('input[name="steps.0.label"]').waitFor();
    expect(await page.locator('input[name="steps.0.label"]').inputValue()).toBe('Relance courtoise');
    // The minimum reads as a French amount, not the policy file's "15.00".
    expect(await page.locator('input[name="minBalance"]').inputValue()).toBe('15,00');
    const stored = await getPolicy(store.db, company.id);
    expect((stored!.definition as { steps: { label: string }[] }).steps[0]!.label).toBe('Relance courtoise');
    // A refused field is named as the editor shows it (step and field), never by its path (`steps.1.delayDays`).
    await page.locator('input[name="steps.1.label"]').fill('');
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 })
      .toContain('Étape 2 · Libellé');
    expect(await page.getByTestId('save-state').textContent()).not.toContain('steps.');
    await page.locator('input[name="steps.1.label"]').fill('1ère relance');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Enregistré');
    // A minimum typed with a French decimal comma is saved, as the amount it means.
    await page.locator('input[name="minBalance"]').fill('15,50');
    await expect
      .poll(async () => ((await getPolicy(store.db, company.id))!.definition as { minBalance: string }).minBalance, {
        timeout: 10_000,
      })
      .toBe('15.50');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Enregistré');
    // The second step's message from the formal notice's template rather than the one of its place.
    await page.getByRole('combobox', { name: 'Modèle 2' }).click();
    await page.getByRole('option', { name: 'Mise en demeure' }).click();
    await expect
      .poll(
        async () =>
          ((await getPolicy(store.db, company.id))!.definition as { steps: { templates?: string[] }[] }).steps[1]!
            .templates,
        { timeout: 10_000 },
      )
      .toEqual(['mise-en-demeure']);
    // Late-payment charges: claimed by the third step, at a contract rate typed the French way.
    await page.getByRole('checkbox', { name: 'Pénalités 3' }).check();
    await page.locator('input[name="charges.contractRate"]').fill('12,5');
    type Stored = { charges?: { enabled: boolean; contractRate?: string }; steps: { charges?: boolean }[] };
    await expect
      .poll(
        async () => {
          const definition = (await getPolicy(store.db, company.id))!.definition as Stored;
          return [definition.charges, definition.steps.map((step) => Boolean(step.charges))];
        },
        { timeout: 10_000 },
      )
      .toEqual([{ enabled: true, contractRate: '12.5' }, [false, false, true, false]]);
    // A named policy for some customers, made as a copy of this one, then edited on its own.
    await page.locator('input[name="newPolicy"]').fill('Grands comptes');
    await page.getByRole('button', { name: 'Créer (copie de celle-ci)' }).click();
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Politique de relance' }).inputValue())
      .toBe('Grands comptes');
    await page.locator('input[name="minBalance"]').fill('500');
    const named = async () => (await listPolicies(store.db, company.id)).find((p) => p.name === 'Grands comptes');
    await expect
      .poll(async () => ((await named())?.definition as { minBalance?: string } | undefined)?.minBalance, {
        timeout: 10_000,
      })
      .toBe('500');
    expect(((await named())!.definition as { steps: unknown[] }).steps).toHaveLength(4);
    expect(((await getPolicy(store.db, company.id))!.definition as { minBalance: string }).minBalance).toBe('15.50');
  });

  it('shows the other screens: invoice, customer, composer, templates, automation, import', async () => {
    const { page, store, company, today } = w;
    const [invoice] = await listInvoices(store.db, company.id, { status: 'overdue', asOf: today, limit: 1 });
    await go(`/invoices/${invoice!.id}`);
    await page.getByTestId('reminder-block').waitFor();
    expect(spaces(await page.getByRole('heading', { level: 1 }).textContent())).toBe(`Facture ${invoice!.number}`);
    await shot('invoice');
    await go(`/customers/${invoice!.customerId}`);
    await page.getByText('Historique des relances').waitFor();
    await shot('customer');
    await page.getByRole('button', { name: 'Créer une relance' }).click();
    await page.getByLabel('Objet').waitFor();
    await expect.poll(() => page.getByLabel('Objet').inputValue()).not.toBe('');
    await shot('composer');
    await go('/settings/templates');
    await page.getByTestId('template-preview').getByText(/Pour /).waitFor();
    await shot('settings-templates');
    await go('/settings/automation');
    await page.getByText('Simulation').first().waitFor();
    // The simulation also says what today's run would not send, and why.
    const notSent = page.getByTestId('simulation-not-sent');
    await notSent.waitFor();
    const plan = await planDunning(store.db, company.id, { date: today });
    const waiting = plan.items.filter((i) => i.action !== 'send' && i.reason?.code === 'not_yet_due').length;
    expect(waiting).toBeGreaterThan(0);
    expect(await notSent.locator('tr[data-reason=not_yet_due] [data-field=count]').textContent()).toBe(String(waiting));
    expect(await notSent.locator('tr[data-reason=not_yet_due]').textContent()).toContain(
      'Étape suivante pas encore due',
    );
    await shot('settings-automation');
    await go('/import');
    await shot('import');
  });

  it('switches company and language, and keeps the language after a reload', async () => {
    const { page } = w;
    await go('/');
    await page.getByTestId('company-switch').click();
    await page.getByRole('option', { name: 'Zénith Bis SAS' }).click();
    await expect.poll(() => page.getByTestId('company-switch').inputValue()).toBe('Zénith Bis SAS');
    await page.getByTestId('company-switch').click();
    // The demo data gives its company the demo identity, name included.
    await page.getByRole('option', { name: DEMO_IDENTITY.legalName! }).click();
    await expect.poll(() => page.getByTestId('company-switch').inputValue()).toBe(DEMO_IDENTITY.legalName);

    await page.getByTestId('language-switch').getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('link', { name: 'Invoices' }).count()).toBe(1);
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('Aged balance').waitFor();
    await page.waitForLoadState('networkidle');
    await shot('dashboard-en');
    await go('/invoices?status=overdue');
    await page.getByText('Excl. tax').first().waitFor();
  });
});
