import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFollowUps } from '../../src/follow-ups/run-follow-ups.ts';
import { dispatchOutbox } from '../../src/mail/dispatch.ts';
import { saveMailSettings } from '../../src/mail/settings.ts';
import { sendTestMessage } from '../../src/mail/test-send.ts';
import { readToken } from '../../src/portal/token.ts';
import { resolveReplyRecipient } from '../../src/replies/reply-address.ts';
import { createCompany } from '../../src/storage/companies.ts';
import { addContact, createCustomer } from '../../src/storage/customers.ts';
import type { Db } from '../../src/storage/database.ts';
import { createInvoice } from '../../src/storage/invoices.ts';
import { createQuote, setPaymentSchedule } from '../../src/storage/quotes.ts';
import { saveTemplate } from '../../src/templates/stored.ts';
import { customerInput, invoiceInput, LETTER_IDENTITY, useStore } from '../repositories/helpers.ts';
import { dialects } from '../support/stores.ts';
import { parse } from './support/fixtures.ts';
import { startSink, type Sink } from './support/sink.ts';

const BASE = 'https://pay.example.test';
const PAGE = /https:\/\/pay\.example\.test\/portal\/([A-Za-z0-9_-]{64})/;

let sink: Sink | undefined;
let previous: string | undefined;
beforeEach(() => {
  previous = process.env.RELANCE_PUBLIC_URL;
  process.env.RELANCE_PUBLIC_URL = BASE;
});
afterEach(async () => {
  if (previous === undefined) delete process.env.RELANCE_PUBLIC_URL;
  else process.env.RELANCE_PUBLIC_URL = previous;
  await sink?.close();
  sink = undefined;
});

/** A customer with a pending quote and an invoice on a schedule, mail going to a real SMTP peer. */
async function ledger(db: Db) {
  const company = await createCompany(db, { legalName: 'Atelier Durand', ...LETTER_IDENTITY });
  const martin = await createCustomer(db, company.id, customerInput('MARTIN', { name: 'Boulangerie Martin' }));
  await addContact(db, company.id, martin.id, {
    name: 'Compta',
    email: 'compta@martin.fr',
    phone: null,
    role: null,
    isPrimary: true,
  });
  await createQuote(db, company.id, {
    number: 'D-1',
    customerId: martin.id,
    date: '2026-02-01',
    validUntil: '2026-03-10',
    currency: 'EUR',
    total: 250_000,
    status: 'pending',
  });
  const invoice = await createInvoice(
    db,
    company.id,
    martin.id,
    invoiceInput('F-1', { total: 90_000, totalExclTax: null, issueDate: '2026-01-15', dueDate: '2026-01-31' }),
  );
  await setPaymentSchedule(db, company.id, invoice.id, [
    { seq: 1, dueDate: '2026-03-05', amount: 45_000 },
    { seq: 2, dueDate: '2026-04-05', amount: 45_000 },
  ]);
  // A company's own quote template may name the page too, as a reminder's does.
  await saveTemplate(db, company.id, {
    key: 'relance-devis',
    language: 'fr',
    text: 'Bonjour,\n\nVotre devis {% for quote in quotes %}{{ quote.number }}{% endfor %}. Votre espace : {{ portal_url }}\n',
  });
  sink = await startSink();
  await saveMailSettings(db, company.id, {
    smtpUrl: sink.url,
    from: 'relances@durand.fr',
    replyTo: 'compta@durand.fr',
    replyAddress: 'reponses@durand.fr',
  });
  return { company, martin };
}

async function received() {
  return Promise.all(sink!.received.map(async (r) => parse(r.raw)));
}

describe.each(dialects)("the customer's page and Reply-To in every message to a customer on %s", (dialect) => {
  const store = useStore(dialect);

  it('puts them in quote follow-ups and instalment reminders', async () => {
    const { db } = store();
    const { company, martin } = await ledger(db);
    const report = await runFollowUps(db, company.id, { date: '2026-03-05' });
    expect([...report.quotes, ...report.instalments].map((r) => r.status)).toEqual(['queued', 'queued']);
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 2 });
    const mails = await received();
    expect(mails).toHaveLength(2);
    const tokens = new Set<string>();
    for (const mail of mails) {
      const replyTo = mail.replyTo!.value[0]!.address!;
      expect(replyTo, mail.subject).toMatch(/^reponses\+[a-z2-7]+@durand\.fr$/);
      // An answer to it reaches Martin's timeline.
      expect(await resolveReplyRecipient(db, replyTo)).toMatchObject({ companyId: company.id, customerId: martin.id });
      const page = PAGE.exec(mail.text ?? '');
      expect(page, mail.subject).not.toBeNull();
      expect(await readToken(db, page![1]!)).toMatchObject({ companyId: company.id });
      tokens.add(page![1]!);
      expect(mail.text).not.toContain('/portal/exemple');
    }
    // Both messages of the day carry Martin's one live link.
    expect(tokens.size).toBe(1);
    const links = await db.selectFrom('portal_links').select('customer_id').execute();
    expect(links).toEqual([{ customer_id: martin.id }]);
  });

  it("puts them in a test send with a real customer's data, and keeps the sample's harmless", async () => {
    const { db } = store();
    const { company, martin } = await ledger(db);
    await sendTestMessage(db, company.id, {
      level: 1,
      to: 'moi@durand.fr',
      customerCode: 'MARTIN',
      date: '2026-03-05',
    });
    await sendTestMessage(db, company.id, { level: 1, to: 'moi@durand.fr', date: '2026-03-05' });
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 2 });
    const mails = await received();
    const real = mails.find((m) => m.text?.includes('F-1'))!;
    const sample = mails.find((m) => m !== real)!;
    expect(real.replyTo!.value[0]!.address).toMatch(/^reponses\+[a-z2-7]+@durand\.fr$/);
    expect(await resolveReplyRecipient(db, real.replyTo!.value[0]!.address!)).toMatchObject({ customerId: martin.id });
    expect(PAGE.exec(real.text ?? '')).not.toBeNull();
    // The sample names no customer: its page address opens nothing and answers go to the plain Reply-To.
    expect(sample.replyTo!.value[0]!.address).toBe('compta@durand.fr');
    expect(sample.text).toContain(`${BASE}/portal/exemple`);
  });

  it('leaves the page out without a public address, and mints no link', async () => {
    const { db } = store();
    delete process.env.RELANCE_PUBLIC_URL;
    const { company } = await ledger(db);
    await runFollowUps(db, company.id, { date: '2026-03-05' });
    expect(await dispatchOutbox(db, company.id)).toMatchObject({ sent: 2 });
    for (const mail of await received()) expect(mail.text).not.toContain('/portal/');
    expect(await db.selectFrom('portal_links').select('id').execute()).toEqual([]);
  });
});
