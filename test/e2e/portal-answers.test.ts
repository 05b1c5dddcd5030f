import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { sendManualReminder } from '../../src/mail/manual.ts';
import { isOpenInvoice } from '../../src/storage/open-invoice.ts';
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

/**
 * The collector's side of the payment page, in Chromium from a link received at a real SMTP peer: a dispute with
 * its attachment reaches the dashboard and the customer's page, where the file downloads; a requested payment plan
 * is accepted in the web app and becomes the invoice's schedule, another is refused with a message the customer
 * receives; an English customer gets the page and the receipt in English.
 */
describeInBrowser('answers from the payment page, seen by the collector', () => {
  let w: World;
  let previous: string | undefined;
  const shot = (name: string) => w.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    w = await startWorld({ customers: 8, invoices: 60 });
    previous = process.env.RELANCE_PUBLIC_URL;
    process.env.RELANCE_PUBLIC_URL = w.url;
    await logIn(w);
  }, 180_000);
  afterAll(async () => {
    if (previous === undefined) delete process.env.RELANCE_PUBLIC_URL;
    else process.env.RELANCE_PUBLIC_URL = previous;
    await w?.close();
  });

  /**
   * Open EUR invoices without a hold, of customers with an e-mail address, grouped by customer; with `pastDue`, only
   * the invoices past their due date (a reminder for one invoice alone can only ask for one that is due).
   */
  async function answerable(pastDue = false) {
    const rows = await w.store.db
      .selectFrom('invoices')
      .select(['id', 'number', 'customer_id', 'total', 'allocated'])
      .where('company_id', '=', w.company.id)
      .where(isOpenInvoice())
      .where('currency', '=', 'EUR')
      .where('disputed', '=', 0)
      .where('promise_to_pay_date', 'is', null)
      .where('payment_announced_on', 'is', null)
      .$if(pastDue, (q) => q.where('due_date', '<', w.today))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('contacts')
            .select('contacts.id')
            .whereRef('contacts.company_id', '=', 'invoices.company_id')
            .whereRef('contacts.customer_id', '=', 'invoices.customer_id')
            .where('contacts.email', 'is not', null),
        ),
      )
      .orderBy('customer_id')
      .orderBy('number')
      .execute();
    const byCustomer = new Map<string, typeof rows>();
    for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r]);
    // Each test takes a customer of its own: a customer reminded today by another test cannot be reminded again.
    return [...byCustomer].filter(([id]) => !used.has(id));
  }
  const used = new Set<string>();

  /** Sends the customer a reminder through the outbox and returns the page link read from the e-mail received. */
  async function linkFromReminder(customerId: string, invoiceIds: string[]): Promise<string> {
    used.add(customerId);
    await sendManualReminder(w.store.db, w.company.id, { customerId, invoiceIds });
    expect(await dispatchOutbox(w.store.db, w.company.id, { dataDir: w.dir })).toMatchObject({ sent: 1 });
    const reminder = await simpleParser(w.sink.received.at(-1)!.raw);
    const link = /https?:\/\/\S+\/portal\/[A-Za-z0-9_-]+/.exec(reminder.text ?? '')?.[0];
    expect(link?.startsWith(`${w.url}/portal/`)).toBe(true);
    return link!;
  }

  async function submit(form: string) {
    const posted = w.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/${form}`));
    await w.page.locator(`#${form} button[type=submit]`).click();
    expect((await posted).status()).toBe(303);
    await w.page.waitForLoadState('load');
    await w.page.getByRole('status').waitFor();
  }

  /**
   * What the customer gets once the outbox has sent it. A customer's answer also e-mails the collector a notice
   * pointing at the customer page; a collector's decision e-mails the customer only.
   */
  async function receipt(notice: 'with notice' | 'alone' = 'with notice'): Promise<string> {
    const expected = notice === 'alone' ? 1 : 2;
    expect(await dispatchOutbox(w.store.db, w.company.id, { dataDir: w.dir })).toMatchObject({ sent: expected });
    const texts = await Promise.all(
      w.sink.received.slice(-expected).map(async (m) => spaces((await simpleParser(m.raw)).text ?? '')),
    );
    const toCollector = texts.filter((text) => text.includes(`${w.url}/customers/`));
    expect(toCollector).toHaveLength(expected - 1);
    return texts.find((text) => !toCollector.includes(text))!;
  }

  /** Instalments as the customer types them: two, a month apart, adding up to the balance. */
  function twoInstalments(balance: number): { lines: string; dates: string[] } {
    const first = Temporal.PlainDate.from(w.today).add({ days: 30 });
    const second = first.add({ months: 1 });
    const half = Math.floor(balance / 2);
    const typed = (d: Temporal.PlainDate) =>
      `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}/${d.year}`;
    return {
      lines: `${typed(first)} ${(half / 100).toFixed(2)}\n${typed(second)} ${((balance - half) / 100).toFixed(2)}`,
      dates: [first.toString(), second.toString()],
    };
  }

  it('shows a dispute with its attachment on the dashboard and the customer page, where the file downloads', async () => {
    const { page } = w;
    const [customerId, invoices] = (await answerable()).find(([, list]) => list.length >= 3)!;
    const disputed = invoices[0]!;
    const link = await linkFromReminder(
      customerId,
      invoices.map((i) => i.id),
    );

    await page.goto(link);
    await page.locator('#dispute summary').click();
    await page.locator('#dispute select[name=invoice]').selectOption(disputed.id);
    await page.locator('#dispute select[name=reason]').selectOption('not_received');
    await page.locator('#dispute textarea[name=message]').fill('Marchandise jamais livrée, voir le bon ci-joint.');
    await page.locator('#dispute input[name=file]').setInputFiles({
      name: 'bon-de-livraison.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 bon de livraison'),
    });
    await submit('dispute');
    expect(await receipt()).toContain(disputed.number);

    await visit(w, '/');
    const card = page.getByTestId('customer-answers');
    await card.waitFor();
    expect(spaces(await card.textContent())).toContain('Réponses des clients');
    const tasks = page.getByTestId('answers-tasks');
    expect(spaces(await tasks.textContent())).toContain(`Traiter la contestation de la facture ${disputed.number}`);
    // The dashboard as a whole, with the receipts among the recent sends and their status badges.
    expect(await axeViolations(page)).toEqual([]);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(SCREENSHOTS, 'customer-answers.png') });

    await tasks.getByRole('link').first().click();
    await page.waitForURL(`**/customers/${customerId}`);
    const files = page.getByTestId('customer-files');
    await files.waitFor();
    expect(spaces(await files.textContent())).toContain(`facture ${disputed.number}`);
    expect(await axeViolations(page)).toEqual([]);
    const downloading = page.waitForEvent('download');
    await files.getByRole('link', { name: 'bon-de-livraison.pdf' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('bon-de-livraison.pdf');
    const saved = join(w.dir, 'download.pdf');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe('%PDF-1.4 bon de livraison');

    // Handled from the dashboard: the task done, the dispute leaves the card.
    await visit(w, '/');
    await page.getByTestId('answers-tasks').getByRole('checkbox').first().click();
    await expect.poll(() => page.getByTestId('answers-tasks').count()).toBe(0);
  });

  it('accepts one requested payment plan, which becomes the schedule, and refuses another with a message', async () => {
    const { page, store } = w;
    const [customerId, invoices] = (await answerable()).find(([, list]) => list.length >= 2)!;
    const [accepted, refused] = invoices;
    const link = await linkFromReminder(customerId, [accepted!.id, refused!.id]);
    const plan = twoInstalments(Number(accepted!.total) - Number(accepted!.allocated));

    await page.goto(link);
    await page.locator('#schedule summary').click();
    await page.locator('#schedule select[name=invoice]').selectOption(accepted!.id);
    await page.locator('#schedule textarea[name=instalments]').fill(plan.lines);
    await page.locator('#schedule textarea[name=message]').fill('Trésorerie tendue ce trimestre.');
    await submit('schedule');
    await receipt();

    await visit(w, '/');
    const schedules = page.getByTestId('answers-schedules');
    await schedules.waitFor();
    expect(spaces(await schedules.textContent())).toContain(accepted!.number);
    await schedules.getByRole('link').first().click();
    await page.waitForURL(`**/customers/${customerId}`);
    const row = page.getByRole('row').filter({ hasText: accepted!.number }).filter({ hasText: 'Trésorerie' });
    await row.getByRole('button', { name: 'Accepter' }).click();
    await row.getByText('Accepté').waitFor();
    await page.getByTestId('customer-portal').screenshot({ path: join(SCREENSHOTS, 'customer-schedule-accepted.png') });
    expect(await receipt('alone')).toContain(`Nous acceptons l’échéancier de la facture ${accepted!.number}`);

    await row.getByRole('link', { name: accepted!.number }).click();
    const schedule = page.getByTestId('invoice-schedule');
    await schedule.waitFor();
    const shown = spaces(await schedule.textContent());
    for (const dueDate of plan.dates) expect(shown).toContain(Temporal.PlainDate.from(dueDate).toLocaleString('fr-FR'));
    const stored = await store.db
      .selectFrom('payment_schedules')
      .select('id')
      .where('company_id', '=', w.company.id)
      .where('invoice_id', '=', accepted!.id)
      .executeTakeFirst();
    expect(stored).toBeDefined();

    // The second request is refused, with a message the customer receives.
    const other = twoInstalments(Number(refused!.total) - Number(refused!.allocated));
    await page.goto(link);
    await page.locator('#schedule summary').click();
    await page.locator('#schedule select[name=invoice]').selectOption(refused!.id);
    await page.locator('#schedule textarea[name=instalments]').fill(other.lines);
    await submit('schedule');
    await receipt();
    await visit(w, `/customers/${customerId}`);
    const pending = page.getByRole('row').filter({ hasText: refused!.number }).filter({ hasText: 'Refuser' });
    await pending.getByRole('textbox').fill('Nous pouvons accorder trois semaines au plus.');
    await pending.getByRole('button', { name: 'Refuser' }).click();
    await page.getByRole('row').filter({ hasText: refused!.number }).getByText('Refusé').waitFor();
    const refusal = await receipt('alone');
    expect(refusal).toContain(`Nous ne pouvons pas accepter l’échéancier proposé pour la facture ${refused!.number}`);
    expect(refusal).toContain('Nous pouvons accorder trois semaines au plus.');
    await visit(w, '/');
    expect(await page.getByTestId('answers-schedules').count()).toBe(0);
  });

  it('serves the page and the receipt in English to an English customer', async () => {
    const { page, store } = w;
    const [customerId, invoices] = (await answerable(true)).find(([, list]) => list.length >= 1)!;
    await store.db
      .updateTable('customers')
      .set({ language: 'en' })
      .where('company_id', '=', w.company.id)
      .where('id', '=', customerId)
      .execute();
    const link = await linkFromReminder(customerId, [invoices[0]!.id]);

    await page.goto(link);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const body = spaces(await page.locator('body').innerText());
    expect(body).toContain('Total balance');
    expect(body).toContain('How to pay');
    expect(body).not.toContain('Total restant dû');
    await shot('portal-english');

    const promiseDate = Temporal.PlainDate.from(w.today).add({ days: 20 }).toString();
    await page.locator('#promise summary').click();
    await page.locator('#promise select[name=invoice]').selectOption(invoices[0]!.id);
    await page.locator('#promise input[name=date]').fill(promiseDate);
    await submit('promise');
    expect(spaces(await page.getByRole('status').textContent())).toContain('your answer has been recorded');
    expect(await receipt()).toContain(`You told us you will pay invoice ${invoices[0]!.number}`);

    // The collector sees the promise among the running ones on the dashboard.
    await visit(w, '/');
    const promises = page.getByTestId('answers-promises');
    await promises.waitFor();
    expect(spaces(await promises.textContent())).toContain(invoices[0]!.number);
  });
});
