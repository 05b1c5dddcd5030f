import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_POLICY_JSON, type PolicyJson } from '../../src/domain/dunning/policy.ts';
import type { Customer, Invoice } from '../../src/domain/ledger.ts';
import { runDunning } from '../../src/dunning/run-dunning.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { insertCreditNote, insertPayment } from '../../src/storage/allocations.ts';
import { getCompany, updateCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import { getPolicy, writePolicy } from '../../src/storage/dunning.ts';
import { createInvoice, setDispute } from '../../src/storage/invoices.ts';
import { saveTemplate } from '../../src/templates/stored.ts';
import { TEMPLATE_KEYS } from '../../src/templates/keys.ts';
import { pdfText } from '../mail/support/fixtures.ts';
import { customerInput, invoiceInput } from '../repositories/helpers.ts';
import { describeInBrowser, logIn, startWorld, visit, type World } from './support.ts';

/**
 * Issue 10: markup in every text field the web app shows. Each payload would set `top.__xss` (the page
 * itself, even from inside a frame that was not sandboxed) or open a dialog if it ever ran; every screen
 * showing the fields is visited and must show them as the characters typed.
 */
const IMG = '<img src=x onerror=top.__xss=1>';
const SCRIPT = '"><script>top.__xss=1</script>';
const SVG = "'><svg onload=top.__xss=1>";
const JS = 'javascript:top.__xss=1';
const ALERT = '<img src=y onerror=alert(1)>';
const LINK = `<a href="${JS}">payer</a>`;

function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

describeInBrowser('markup in every text field, in Chromium', () => {
  let w: World;
  let customer: Customer;
  let overdue: Invoice;
  let disputed: Invoice;
  let partlyPaid: Invoice;
  const dialogs: string[] = [];
  const refused: string[] = [];

  beforeAll(async () => {
    w = await startWorld({ customers: 6, invoices: 40 });
    const { db } = w.store;
    const companyId = w.company.id;
    const company = await getCompany(db, companyId);
    await updateCompany(db, companyId, {
      legalName: `Menuiserie ${IMG}`,
      letterhead: `${SCRIPT}\n${SVG}`,
      address: { ...company.address, line1: `1 rue ${LINK}`, city: ALERT },
    });
    customer = await createCustomer(
      db,
      companyId,
      customerInput(`X${SCRIPT}`, {
        name: `Client ${IMG}`,
        salesRep: `Rep ${SVG}`,
        address: { line1: `2 rue ${SVG}`, line2: JS, postcode: '75001', city: `Paris ${ALERT}`, country: 'FR' },
      }),
    );
    await addContact(db, companyId, customer.id, {
      name: `Contact ${SCRIPT}`,
      email: 'victime@client.example',
      phone: ALERT,
      role: 'billing',
      isPrimary: true,
    });
    const dates = { issueDate: daysBefore(w.today, 70), dueDate: daysBefore(w.today, 40) };
    overdue = await createInvoice(
      db,
      companyId,
      customer.id,
      invoiceInput(`F1${IMG}`, { ...dates, title: `Objet ${SCRIPT}`, salesRep: SVG }),
    );
    disputed = await createInvoice(db, companyId, customer.id, invoiceInput(`F2${SVG}`, { ...dates, title: LINK }));
    await setDispute(db, companyId, disputed.number, `Litige ${ALERT}${SCRIPT}`);
    partlyPaid = await createInvoice(db, companyId, customer.id, invoiceInput(`F3${SCRIPT}`, { ...dates, title: JS }));
    await insertPayment(db, companyId, {
      customerId: customer.id,
      date: w.today,
      currency: 'EUR',
      amount: 10_000,
      method: 'transfer',
      reference: `Virement ${IMG}`,
      allocations: [{ invoiceId: partlyPaid.id, amount: 10_000 }],
    });
    await insertCreditNote(db, companyId, {
      number: `AV${SVG}`,
      customerId: customer.id,
      date: w.today,
      currency: 'EUR',
      total: 5_000,
      reason: `Geste ${SCRIPT}`,
      allocations: [{ invoiceId: partlyPaid.id, amount: 5_000 }],
    });
    // Step labels name the "Relances" categories; templates (HTML body included, which an admin may fill with raw markup) name the mails.
    const stored = await getPolicy(db, companyId);
    const definition = (stored?.definition ?? DEFAULT_POLICY_JSON) as PolicyJson;
    await writePolicy(db, companyId, {
      name: stored?.name ?? 'Standard',
      makeDefault: true,
      definition: { ...definition, steps: definition.steps.map((s, i) => ({ ...s, label: `Étape ${i + 1} ${IMG}` })) },
    });
    for (const key of TEMPLATE_KEYS) {
      await saveTemplate(db, companyId, {
        key,
        language: 'fr',
        subject: `Relance ${SCRIPT} {{ customer.name }}`,
        text: `Bonjour {{ customer.name }} ${IMG}`,
        html: `<p>{{ customer.name }} ${SCRIPT}</p>${IMG}${LINK}`,
        letter: `Lettre ${SVG}`,
      });
    }
    await runDunning(db, companyId, { date: w.today, customerCode: customer.code, dataDir: w.dir });
    await dispatchOutbox(db, companyId);
    // The page's own code must work under its Content-Security-Policy: what it refuses is reported on the console.
    // Refusing to run a payload (a javascript: URL, an inline handler or script in a preview) is the policy at work.
    w.page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy/i.test(text) && !/JavaScript URL|inline event handler|inline script/i.test(text))
        refused.push(text);
    });
    w.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await logIn(w);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  /**
   * Nothing ran on the page: no flag, no dialog, and no element carrying an event handler or a javascript: link in
   * the page itself (the DOM check does not depend on timing: injected markup would be there once the text shows).
   */
  async function nothingRan(where: string): Promise<void> {
    const state = await w.page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document;
      return {
        flag: (globalThis as { __xss?: unknown }).__xss ?? null,
        handlers: doc.querySelectorAll('[onerror],[onload],script:not([src])').length,
        links: doc.querySelectorAll('a[href^="javascript:" i]').length,
      };
    });
    expect(state, where).toEqual({ flag: null, handlers: 0, links: 0 });
    expect(dialogs, where).toEqual([]);
    expect(refused.splice(0), where).toEqual([]);
  }
  /** The page's visible text holds each of the payloads as typed. */
  async function showsAsText(where: string, ...texts: string[]): Promise<void> {
    await expect
      .poll(
        async () => {
          const text = await w.page.locator('body').innerText();
          return texts.filter((t) => !text.includes(t));
        },
        { message: where },
      )
      .toEqual([]);
  }

  it('the page is served with a Content-Security-Policy that allows no inline script', async () => {
    const response = await w.page.goto(`${w.url}/invoices`);
    const policy = response!.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('dashboard, Relances, invoices and customers lists', async () => {
    await visit(w, '/');
    await showsAsText('dashboard', `Relance ${SCRIPT} Client ${IMG}`, `Étape 1 ${IMG}`);
    await nothingRan('dashboard');
    await visit(w, '/relances');
    await showsAsText('relances', `Étape 1 ${IMG}`);
    await nothingRan('relances');
    await visit(w, `/invoices?customer=${encodeURIComponent(customer.code)}`);
    await showsAsText('invoices', overdue.number, disputed.number, partlyPaid.number, customer.name);
    await nothingRan('invoices');
    await visit(w, '/customers');
    await showsAsText('customers', customer.name);
    await nothingRan('customers');
  });

  it('invoice pages: number, customer, dispute reason, payment and credit note', async () => {
    await visit(w, `/invoices/${overdue.id}`);
    await showsAsText('invoice', `Facture ${overdue.number}`, `${customer.name} (${customer.code})`);
    await nothingRan('invoice');
    await visit(w, `/invoices/${disputed.id}`);
    await showsAsText('disputed invoice', `Litige ${ALERT}${SCRIPT}`);
    expect(await w.page.getByLabel('Motif du litige').inputValue()).toBe(`Litige ${ALERT}${SCRIPT}`);
    await nothingRan('disputed invoice');
    await visit(w, `/invoices/${partlyPaid.id}`);
    await showsAsText('paid invoice', `Virement ${IMG}`, `AV${SVG}`);
    await nothingRan('paid invoice');
  });

  it('customer page: name, code, contact, history', async () => {
    await visit(w, `/customers/${customer.id}`);
    await showsAsText('customer', customer.name, customer.code, `Contact ${SCRIPT}`, ALERT, overdue.number);
    await nothingRan('customer');
  });

  it("composer: the draft and its preview, sandboxed, with the template's raw HTML and a typed message", async () => {
    const { page } = w;
    await visit(w, `/compose?customer=${customer.id}&invoices=${overdue.id}`);
    await expect.poll(() => page.getByLabel('Objet').inputValue()).toBe(`Relance ${SCRIPT} ${customer.name}`);
    const frame = page.locator('[data-testid=composer-preview] iframe');
    // The template's own markup is in the frame (an admin wrote it), but nothing in it runs.
    await expect.poll(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain(IMG);
    await page.waitForTimeout(300);
    await nothingRan('composer, template HTML');
    expect(await frame.getAttribute('sandbox')).toBe('');
    // A typed message is text: its markup reaches the preview as characters.
    await page.getByLabel('Message').fill(`Bonjour\n\n${IMG} ${SCRIPT}`);
    const preview = page.frameLocator('[data-testid=composer-preview] iframe');
    await expect.poll(async () => preview.locator('body').innerText()).toContain(`${IMG} ${SCRIPT}`);
    await nothingRan('composer, typed message');
  });

  it('template editor: the preview of subject, text, letter and HTML', async () => {
    const { page } = w;
    await visit(w, '/settings/templates');
    const preview = page.getByTestId('template-preview');
    await expect.poll(async () => preview.innerText()).toContain(`Relance ${SCRIPT}`);
    await showsAsText('template preview', `Lettre ${SVG}`);
    // A draft typed in the editor goes through the same preview (the source editor: raw markup as an expert types it).
    await page.getByTestId('editor-mode').getByText('Source (experts)').click();
    await page.getByLabel(/^Message \(HTML/).fill(`<p>${SCRIPT}</p>${ALERT}<iframe src="${JS}"></iframe>`);
    await expect.poll(async () => (await preview.locator('iframe').getAttribute('srcdoc')) ?? '').toContain(ALERT);
    await page.waitForTimeout(300);
    await nothingRan('template preview');
    expect(await preview.locator('iframe').getAttribute('sandbox')).toBe('');
  });

  it('PDFs downloaded from the screens (letter, invoice copy, statement, summary) print the fields as text and carry no script or action', async () => {
    const documents = [
      `/api/v1/invoices/${overdue.id}/letter`,
      `/api/v1/invoices/${overdue.id}/copy`,
      `/api/v1/customers/${customer.id}/statement`,
      `/api/v1/documents/summary?customer=${encodeURIComponent(customer.code)}`,
    ];
    for (const path of documents) {
      const response = await w.page.request.get(`${w.url}${path}`);
      expect(response.status(), path).toBe(200);
      const bytes = await response.body();
      expect(bytes.subarray(0, 5).toString('latin1'), path).toBe('%PDF-');
      expect(bytes.toString('latin1'), path).not.toMatch(
        /\/JavaScript|\/JS\b|\/OpenAction|\/Launch|\/AA\b|\(javascript:/,
      );
      const text = (await pdfText(bytes)).replace(/\s+/g, ' ');
      expect(text, path).toMatch(
        /Client <img src=x onerror=top\.__xss=1>|X"><script>top\.__xss=1<\/script>|F1<img src=x onerror=top\.__xss=1>/,
      );
    }
  });

  it('sent register, outbox and settings (company, policy)', async () => {
    const { page } = w;
    await visit(w, '/sent');
    await showsAsText('sent register', overdue.number, customer.code);
    await nothingRan('sent register');
    await visit(w, '/outbox');
    await showsAsText('outbox', `Relance ${SCRIPT} ${customer.name}`);
    await nothingRan('outbox');
    await visit(w, '/settings/company');
    expect(await page.locator('input[name=legalName]').inputValue()).toBe(`Menuiserie ${IMG}`);
    expect(await page.getByTestId('company-switch').inputValue()).toBe(`Menuiserie ${IMG}`);
    await nothingRan('company');
    // A javascript: payment link is refused by the server, and the page says so.
    await page.locator('input[name=paymentLinkPattern]').fill(`${JS}//{{ reference }}`);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await showsAsText('payment link', 'doit être une adresse http ou https');
    expect((await getCompany(w.store.db, w.company.id)).paymentLinkPattern ?? null).toBeNull();
    await visit(w, '/settings/policy');
    expect(await page.locator('input[name="steps.0.label"]').inputValue()).toBe(`Étape 1 ${IMG}`);
    await nothingRan('policy');
  });
});
