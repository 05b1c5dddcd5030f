import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listInvoices, type InvoiceListItem } from '../../src/storage/invoices.ts';
import { parse } from '../mail/support/fixtures.ts';
import { describeInBrowser, euros, logIn, spaces, startWorld, visit, type World } from './support.ts';

/**
 * The collector's actions used as a person would: a manual reminder written in the composer and sent, a
 * dispute, a promise to pay and a payment on the invoice page, each checked where it lands (the SMTP peer,
 * the ledger, the plan, the lists). Its own server and browser, so its sends do not disturb web.test.ts.
 */
describeInBrowser('collector actions in Chromium', () => {
  let w: World;
  // Overdue invoices of distinct customers not reminded today, one for each action below.
  let picks: InvoiceListItem[];

  beforeAll(async () => {
    w = await startWorld();
    const remindedToday = new Set(
      (
        await w.store.db
          .selectFrom('reminders')
          .select('invoice_id')
          .where('company_id', '=', w.company.id)
          .where('sent_on', '=', w.today)
          .execute()
      ).map((r) => r.invoice_id),
    );
    const overdue = (
      await listInvoices(w.store.db, w.company.id, { status: 'overdue', asOf: w.today, limit: 400 })
    ).filter((i) => !i.disputeReason && !i.promiseToPayDate && !remindedToday.has(i.id));
    const seen = new Set<string>();
    picks = overdue.filter((i) => !seen.has(i.customerId) && seen.add(i.customerId));
    expect(picks.length).toBeGreaterThanOrEqual(4);
    await logIn(w);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it('"Créer une relance" opens the composer with the invoice, its letter and copy; the reminder sent reaches the SMTP peer as written', async () => {
    const { page, sink } = w;
    const invoice = picks[0]!;
    await visit(w, `/invoices/${invoice.id}`);
    await page.getByRole('button', { name: 'Créer une relance' }).click();
    await expect.poll(() => page.getByLabel('Objet').inputValue()).not.toBe('');
    // Only the invoice the person came from is included, and both PDFs are offered as attachments.
    const boxes = page.getByTestId('composer-invoices').locator('input[type=checkbox]');
    const checked = await boxes.evaluateAll((inputs) =>
      inputs.filter((i) => (i as unknown as { checked: boolean }).checked).map((i) => i.getAttribute('value')),
    );
    expect(checked).toEqual([invoice.number]);
    expect(spaces(await page.getByText(/Joindre la lettre de relance/).textContent())).toMatch(/\(Relance .+\.pdf\)$/);
    expect(spaces(await page.getByText(/Joindre les factures/).textContent())).toContain(invoice.number);
    // The preview shows the e-mail as the customer will read it, with the invoice in it.
    const preview = page.frameLocator('[data-testid=composer-preview] iframe');
    await expect.poll(async () => spaces(await preview.locator('body').textContent())).toContain(invoice.number);
    // Another template can be chosen: the subject and message are those of the formal notice, then back to the level's.
    const levelSubject = await page.getByLabel('Objet').inputValue();
    const templateSelect = page.getByRole('combobox', { name: 'Modèle' });
    const levelTemplate = await templateSelect.inputValue();
    await templateSelect.click();
    await page.getByRole('option', { name: 'Mise en demeure' }).click();
    await expect.poll(() => page.getByLabel('Message').inputValue()).toMatch(/mettons en demeure/);
    expect(await page.getByLabel('Objet').inputValue()).not.toBe(levelSubject);
    await templateSelect.click();
    await page.getByRole('option', { name: levelTemplate, exact: true }).click();
    await expect.poll(() => page.getByLabel('Objet').inputValue()).toBe(levelSubject);

    await page.getByLabel('Destinataires').fill('compta@client.example; tresorerie@client.example');
    await page.getByLabel('Copie (CC)').fill('direction@menuiserie.example');
    await page.getByLabel('Copie cachée (CCI)').fill('archives@menuiserie.example');
    const subject = `Facture ${invoice.number} : votre règlement`;
    await page.getByLabel('Objet').fill(subject);
    const message = page.getByLabel('Message');
    await message.fill(`${await message.inputValue()}\n\nMerci de nous appeler au 01 23 45 67 89.`);
    await expect.poll(async () => spaces(await preview.locator('body').textContent())).toContain('01 23 45 67 89');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('composer-files').click()]);
    await chooser.setFiles({
      name: 'accord-de-paiement.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Accord du 12 mars'),
    });

    const before = sink.received.length;
    await page.getByTestId('composer-send').click();
    await page.getByText('Relance envoyée.').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/outbox');
    expect(sink.received).toHaveLength(before + 1);
    const received = sink.received.at(-1)!;
    // The envelope carries every recipient, BCC included; the headers show the BCC to nobody.
    expect(received.to.sort()).toEqual([
      'archives@menuiserie.example',
      'compta@client.example',
      'direction@menuiserie.example',
      'tresorerie@client.example',
    ]);
    const mail = await parse(received.raw);
    expect(mail.subject).toBe(subject);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual([
      'compta@client.example',
      'tresorerie@client.example',
    ]);
    expect(mail.cc && !Array.isArray(mail.cc) ? mail.cc.value.map((a) => a.address) : []).toEqual([
      'direction@menuiserie.example',
    ]);
    expect(mail.bcc).toBeUndefined();
    expect(received.raw.toString('latin1')).not.toMatch(/^bcc:/im);
    expect(mail.text).toContain('Merci de nous appeler au 01 23 45 67 89.');
    expect(String(mail.html)).toContain('01 23 45 67 89');
    const pdfs = mail.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs).toHaveLength(2);
    for (const pdf of pdfs) expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfs.some((a) => a.filename?.includes(invoice.number))).toBe(true);
    const file = mail.attachments.find((a) => a.filename === 'accord-de-paiement.txt');
    expect(file?.content.toString()).toBe('Accord du 12 mars');

    // Recorded in the history like an automatic reminder: the invoice page lists it.
    await visit(w, `/invoices/${invoice.id}`);
    await page.getByTestId('reminder-block').locator('tbody tr').first().waitFor();
    // Its step by the policy's label and its channel by its French name, never the raw codes.
    const recorded = spaces(await page.getByTestId('reminder-block').locator('tbody tr').last().textContent());
    expect(recorded).toContain('E-mail');
    expect(recorded).not.toContain('email');
  });

  it('marks an invoice disputed: the page shows it, the plan holds it and no reminder can be created for it', async () => {
    const { page } = w;
    const invoice = picks[1]!;
    await visit(w, `/invoices/${invoice.id}`);
    await page.getByTestId('next-step').waitFor();
    expect(await page.getByTestId('badge-disputed').count()).toBe(0);
    await page.getByLabel('Motif du litige').fill('Livraison incomplète');
    await page.getByRole('button', { name: 'Marquer en litige' }).click();
    await page.getByTestId('badge-disputed').waitFor();
    await expect.poll(() => page.getByTestId('next-step').getAttribute('data-reason')).toBe('disputed');
    expect(await page.getByTestId('next-step').getAttribute('data-action')).toBe('skip');
    expect(spaces(await page.getByTestId('next-step').textContent())).toContain('Livraison incomplète');
    expect(await page.getByRole('button', { name: 'Créer une relance' }).count()).toBe(0);

    // The plan the server answers with holds it too, and the invoices list files it under "En litige".
    const plan = (await (
      await page.request.get(`${w.url}/api/v1/plan?customer=${encodeURIComponent(invoice.customerCode)}`)
    ).json()) as { items: { invoice: string; action: string; reasonCode: string | null }[] };
    expect(plan.items.find((i) => i.invoice === invoice.number)).toMatchObject({
      action: 'skip',
      reasonCode: 'disputed',
    });
    await visit(w, `/invoices?status=disputed&customer=${encodeURIComponent(invoice.customerCode)}`);
    const row = page.locator(`[data-testid=invoice-table] tbody tr[data-number="${invoice.number}"]`);
    await row.waitFor();
    expect(spaces(await row.textContent())).toContain('En litige');
  });

  it('records a promise to pay: the next reminder waits until the promised date', async () => {
    const { page } = w;
    const invoice = picks[2]!;
    await visit(w, `/invoices/${invoice.id}`);
    await page.getByTestId('next-step').waitFor();
    const promised = new Date(Date.parse(`${w.today}T12:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Paiement promis le').fill(promised);
    await page.getByRole('button', { name: 'Enregistrer la promesse' }).click();
    await expect.poll(() => page.getByTestId('next-step').getAttribute('data-reason')).toBe('promise_to_pay');
    expect(await page.getByTestId('next-step').getAttribute('data-action')).toBe('wait');
    const row = await w.store.db
      .selectFrom('invoices')
      .select('promise_to_pay_date')
      .where('id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    expect(row.promise_to_pay_date).toBe(promised);
  });

  it('records a payment that clears the balance: the invoice shows paid and leaves the overdue list', async () => {
    const { page, store, company, today } = w;
    const invoice = picks[3]!;
    const overdueRows = () => page.locator('[data-testid=invoice-table] tbody tr');
    await visit(w, `/invoices?status=overdue&customer=${encodeURIComponent(invoice.customerCode)}`);
    await overdueRows().first().waitFor();
    expect(await overdueRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number')))).toContain(
      invoice.number,
    );

    await visit(w, `/invoices/${invoice.id}`);
    await page.getByTestId('next-step').waitFor();
    // The amount is prefilled with the balance, as typed by a French user.
    expect(await page.getByLabel('Montant (€)').inputValue()).toBe(
      (invoice.balance / 100).toFixed(2).replace('.', ','),
    );
    await page.getByRole('combobox', { name: 'Mode' }).click();
    await page.getByRole('option', { name: 'Chèque' }).click();
    await page.getByRole('button', { name: 'Enregistrer un encaissement' }).click();
    await page.getByTestId('badge-paid').waitFor();
    await expect.poll(() => page.getByTestId('next-step').getAttribute('data-action')).toBe('none');
    expect(spaces(await page.getByText('Encaissements et avoirs').locator('xpath=..').textContent())).toContain(
      spaces(euros(invoice.balance)),
    );
    const stored = (await listInvoices(store.db, company.id, { asOf: today, customerId: invoice.customerId })).find(
      (i) => i.id === invoice.id,
    );
    expect(stored?.balance).toBe(0);

    await visit(w, `/invoices?status=overdue&customer=${encodeURIComponent(invoice.customerCode)}`);
    await page.getByTestId('filter-totals').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await overdueRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number')))).not.toContain(
      invoice.number,
    );
    const stillOverdue = await listInvoices(store.db, company.id, {
      status: 'overdue',
      asOf: today,
      customerId: invoice.customerId,
    });
    expect(stillOverdue.map((i) => i.number)).not.toContain(invoice.number);
  });

  const focused = (selector: string) =>
    w.page.locator(selector).evaluateAll((elements) => elements.some((e) => e === e.ownerDocument.activeElement));
  /** Presses Tab (Shift+Tab going back) until `selector` has the focus: it fails if the keyboard cannot reach the control. */
  const tabTo = async (selector: string, back = false) => {
    for (let presses = 0; presses < 150; presses++) {
      await w.page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      if (await focused(selector)) return;
    }
    throw new Error(`${selector} cannot be reached with Tab`);
  };

  it('reaches every main screen from the navigation with the keyboard', async () => {
    const { page } = w;
    await visit(w, '/');
    const screens = [
      ['/relances', 'Relances'],
      ['/invoices', 'Factures'],
      ['/customers', 'Clients'],
      ['/compose', 'Relance manuelle'],
      ['/sent', 'Relances envoyées'],
      ['/outbox', "Boîte d'envoi"],
      ['/payments', 'Encaissements'],
      ['/cheques', 'Remises de chèques'],
      ['/bank', 'Banque'],
      ['/sepa', 'Prélèvements SEPA'],
      ['/quotes', 'Devis'],
      ['/import', 'Import'],
      ['/settings', 'Paramètres'],
      ['/', 'Tableau de bord'],
    ] as const;
    for (const [path, heading] of screens) {
      await tabTo(`nav a[href="${path}"]`, path === '/');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe(path);
    }
  });

  it('filters, selects and generates the reminders PDF with the keyboard only', async () => {
    const { page } = w;
    await visit(w, '/relances');
    const cards = page.getByTestId('categories').locator('[data-category]');
    await cards.first().waitFor();
    const keys = await cards.evaluateAll((elements) =>
      elements
        .filter((e) => e.querySelector('[data-field=count]')?.textContent !== '0')
        .map((e) => e.getAttribute('data-category')!),
    );
    const category = keys.at(-1)!;
    await tabTo(`[data-category="${category}"]`);
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('category')).toBe(category);
    // The category's first invoice as the server lists it; the table shows it once the category's rows have replaced the previous ones.
    const listed = (await (
      await page.request.get(`${w.url}/api/v1/invoices?category=${category}&sort=number&limit=1`)
    ).json()) as { items: { number: string; customerCode: string; customerName: string }[] };
    const { number: first, customerCode: code, customerName: name } = listed.items[0]!;
    const rows = page.locator('[data-testid=invoice-table] tbody tr');
    await expect.poll(() => rows.first().getAttribute('data-number'), { timeout: 30_000 }).toBe(first);

    await tabTo('input[name=customer]');
    await page.keyboard.type(code);
    await expect.poll(() => new URL(page.url()).searchParams.get('customer')).toBe(code);
    // The rows of the previous filter stay on screen (dimmed) until the customer's have come.
    await expect
      .poll(async () => new Set(await rows.locator('td:nth-child(3)').allInnerTexts()), { timeout: 30_000 })
      .toEqual(new Set([name]));
    await expect
      .poll(() => page.getByTestId('invoice-results').getAttribute('aria-busy'), { timeout: 30_000 })
      .toBe('false');
    expect(new Set(await rows.locator('td:nth-child(3)').allInnerTexts())).toEqual(new Set([name]));
    const numbers = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-number')!));
    expect(numbers).toContain(first);
    const selection = page.getByTestId('selection-totals');
    for (const [index, number] of numbers.slice(0, 2).entries()) {
      const box = `[data-testid=invoice-table] tbody tr[data-number="${number}"] [data-testid=row-select]`;
      await tabTo(box);
      await page.keyboard.press('Space');
      await expect
        .poll(async () => spaces(await selection.locator('[data-field=count]').textContent()))
        .toBe(index === 0 ? '1 facture' : '2 factures');
      // The focus stays where the person is, so the next Tab goes on from this row.
      expect(await focused(box)).toBe(true);
    }
    await tabTo('[data-testid=generate]', true);
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-text').waitFor();
    await tabTo('[data-testid=confirm-generate]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const path = join(w.dir, download.suggestedFilename());
    await download.saveAs(path);
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
