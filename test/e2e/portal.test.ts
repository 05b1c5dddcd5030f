import { simpleParser } from 'mailparser';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planDunning } from '../../src/dunning/run-dunning.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { sendManualReminder } from '../../src/mail/manual.ts';
import { getPolicy } from '../../src/storage/dunning.ts';
import { isOpenInvoice } from '../../src/storage/open-invoice.ts';
import { describeInBrowser, euros, logIn, spaces, startWorld, visit, type World } from './support.ts';

/**
 * The customer's side end to end: a reminder leaves through the outbox to a real SMTP peer, the customer follows the
 * page's link from the e-mail it received, answers two invoices through the page's forms, gets a receipt by e-mail,
 * and the collector's plan holds both invoices, the announced payment for the pause set in the policy editor.
 */
describeInBrowser('payment page in Chromium', () => {
  let w: World;
  let previous: string | undefined;

  beforeAll(async () => {
    w = await startWorld({ customers: 8, invoices: 60 });
    previous = process.env.RELANCE_PUBLIC_URL;
    process.env.RELANCE_PUBLIC_URL = w.url;
  }, 180_000);
  afterAll(async () => {
    if (previous === undefined) delete process.env.RELANCE_PUBLIC_URL;
    else process.env.RELANCE_PUBLIC_URL = previous;
    await w?.close();
  });

  // Waits for the answer's own confirmation page, not the one a previous answer left on screen.
  async function submit(form: string) {
    const posted = w.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/${form}`));
    await w.page.locator(`#${form} button[type=submit]`).click();
    expect((await posted).status()).toBe(303);
    await w.page.waitForLoadState('load');
    await w.page.getByRole('status').waitFor();
  }

  async function lastMail() {
    return simpleParser(w.sink.received.at(-1)!.raw);
  }

  /** The last two messages: the customer's receipt (to `customer`) and the collector's notice, in either order. */
  async function receiptAndNotice(customer: string | null | undefined) {
    const mails = await Promise.all(w.sink.received.slice(-2).map((m) => simpleParser(m.raw)));
    const to = (m: (typeof mails)[number]) => (m.to && 'value' in m.to ? m.to.value[0]?.address : null);
    const receipt = mails.find((m) => to(m) === customer)!;
    const notice = mails.find((m) => m !== receipt)!;
    expect(receipt).toBeDefined();
    expect(to(notice)).not.toBe(customer);
    return { receipt, notice };
  }

  it('opens from the reminder e-mail, records a promise and an announced payment, sends receipts and holds the plan', async () => {
    const { store, company, page } = w;
    const db = store.db;
    // A long announced-payment pause, typed in the policy editor, so that this hold (and not the reminder about to be
    // sent) decides the plan's date.
    await logIn(w);
    await visit(w, '/settings/policy');
    const pause = page.locator('input[name="announcedPaymentPauseDays"]');
    expect(await pause.inputValue()).toBe('10');
    await pause.fill('90');
    await expect
      .poll(
        async () =>
          ((await getPolicy(db, company.id))?.definition as { announcedPaymentPauseDays?: number } | undefined)
            ?.announcedPaymentPauseDays,
        { timeout: 10_000 },
      )
      .toBe(90);
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Enregistré');
    const open = await db
      .selectFrom('invoices')
      .select(['id', 'number', 'customer_id', 'total', 'allocated'])
      .where('company_id', '=', company.id)
      .where(isOpenInvoice())
      .where('currency', '=', 'EUR')
      .where('disputed', '=', 0)
      .where('promise_to_pay_date', 'is', null)
      .where('payment_announced_on', 'is', null)
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
    const byCustomer = new Map<string, typeof open>();
    for (const invoice of open)
      byCustomer.set(invoice.customer_id, [...(byCustomer.get(invoice.customer_id) ?? []), invoice]);
    const [customerId, invoices] = [...byCustomer].find(([, list]) => list.length >= 2)!;
    const [promised, paid] = invoices;

    await sendManualReminder(db, company.id, { customerId, invoiceIds: invoices.map((i) => i.id) });
    expect(await dispatchOutbox(db, company.id, { dataDir: w.dir })).toMatchObject({ sent: 1 });
    const reminder = await lastMail();
    const link = /https?:\/\/\S+\/portal\/[A-Za-z0-9_-]+/.exec(reminder.text ?? '')?.[0];
    expect(link?.startsWith(`${w.url}/portal/`)).toBe(true);

    await page.goto(link!);
    const table = page.locator('table').first();
    const shown = spaces(await table.innerText());
    for (const invoice of invoices) expect(shown).toContain(invoice.number);
    const everyOpen = await db
      .selectFrom('invoices')
      .select(['total', 'allocated'])
      .where('company_id', '=', company.id)
      .where('customer_id', '=', customerId)
      .where(isOpenInvoice())
      .execute();
    const total = everyOpen.reduce((sum, i) => sum + Number(i.total) - Number(i.allocated), 0);
    const totalRow = spaces(await table.locator('tfoot').innerText());
    expect(totalRow).toContain(`Total restant dû ${spaces(euros(total))}`);

    // "Je paierai le…" for the first invoice, a month ahead.
    const promiseDate = Temporal.PlainDate.from(w.today).add({ days: 30 }).toString();
    await page.locator('#promise summary').click();
    await page.locator('#promise select[name=invoice]').selectOption(promised!.id);
    await page.locator('#promise input[name=date]').fill(promiseDate);
    await submit('promise');
    expect(spaces(await page.getByRole('status').textContent())).toContain('votre réponse a bien été enregistrée');
    // The customer's receipt, and a notice to the collector pointing at the customer page.
    expect(await dispatchOutbox(db, company.id, { dataDir: w.dir })).toMatchObject({ sent: 2 });
    const customerAddress = reminder.to && 'value' in reminder.to ? reminder.to.value[0]?.address : null;
    const { receipt: promiseReceipt, notice } = await receiptAndNotice(customerAddress);
    expect(spaces(promiseReceipt.text ?? '')).toContain(promised!.number);
    expect(notice.subject).toContain('promet de payer');
    expect(notice.text).toContain(`${w.url}/customers/${customerId}`);

    // "J'ai payé" for the second invoice, today, by transfer.
    await page.locator('#paid summary').click();
    await page.locator('#paid select[name=invoice]').selectOption(paid!.id);
    await page.locator('#paid input[name=date]').fill(w.today);
    await page.locator('#paid input[name=amount]').fill('100,00');
    await page.locator('#paid select[name=means]').selectOption('transfer');
    await submit('paid');
    expect(page.url()).toContain('sent=1');
    expect(await dispatchOutbox(db, company.id, { dataDir: w.dir })).toMatchObject({ sent: 2 });
    const { receipt: paidReceipt } = await receiptAndNotice(customerAddress);
    expect(spaces(paidReceipt.text ?? '')).toContain(paid!.number);
    expect(spaces(paidReceipt.text ?? '')).toContain(spaces(euros(10_000)));
    expect(paidReceipt.to && 'value' in paidReceipt.to ? paidReceipt.to.value[0]?.address : null).toBe(
      reminder.to && 'value' in reminder.to ? reminder.to.value[0]?.address : null,
    );

    // The collector's plan holds both invoices for the customer's answers.
    const plan = await planDunning(db, company.id, { date: w.today });
    const item = (number: string) => plan.items.find((i) => i.customerId === customerId && i.invoice === number);
    expect(item(promised!.number)).toMatchObject({
      action: 'wait',
      reason: { code: 'promise_to_pay' },
      eligibleOn: Temporal.PlainDate.from(promiseDate).add({ days: 1 }).toString(),
    });
    expect(item(paid!.number)).toMatchObject({
      action: 'wait',
      reason: { code: 'payment_announced' },
      eligibleOn: Temporal.PlainDate.from(w.today).add({ days: 90 }).toString(),
    });
  });
});
