import type { TFunction } from 'i18next';
import { daysBetween, todayIn } from '../domain/calendar.ts';
import type { Company, Language } from '../domain/ledger.ts';
import { formatAmount } from '../domain/money.ts';
import { formatDateText, moneyText, transferReference } from '../communications/format.ts';
import { paymentLink } from '../communications/load-context.ts';
import { epcPayload } from '../documents/epc-qr.ts';
import { translator } from '../i18n/index.ts';
import { countText, pageTemplate, pageTranslator } from './page-text.ts';
import type { Db } from '../storage/database.ts';
import { getLetterSettings } from '../storage/documents.ts';
import { portalInvoices, type PortalInvoiceRow } from '../storage/portal-page.ts';
import { document, h, qrSvg } from './html.ts';
import type { PortalVisit } from './open-portal.ts';
import { portalForms, type FormState } from './portal-forms.ts';

/** What the page shows and what its actions check against: the customer's open invoices as of today. */
export type PortalData = {
  company: Company;
  customer: { id: string; code: string; name: string; language: Language };
  invoices: PortalInvoiceRow[];
  today: string;
  hasLetter: boolean;
};

/**
 * Today where the company is, worked out once a minute per time zone: days change on a minute boundary in every
 * zone in use, and Temporal's conversion was a twentieth of a page's CPU.
 */
const todays = new Map<string, { minute: number; day: string }>();

function todayOnPage(timeZone: string): string {
  const minute = Math.floor(Date.now() / 60_000);
  const known = todays.get(timeZone);
  if (known && known.minute === minute) return known.day;
  const day = todayIn(timeZone);
  todays.set(timeZone, { minute, day });
  return day;
}

/** Only the invoices are read here: the company and the customer came with the link (openPortal). */
export async function loadPortalData(db: Db, visit: PortalVisit): Promise<PortalData> {
  const { company, customer } = visit;
  return {
    company,
    customer: {
      id: customer.id,
      code: customer.code,
      name: customer.name,
      language: customer.language === 'en' ? 'en' : 'fr',
    },
    invoices: await portalInvoices(db, visit.companyId, visit.customerId),
    today: todayOnPage(company.timeZone),
    hasLetter: customer.hasLetter,
  };
}

function logoTag(logo: { mediaType: string; content: Uint8Array } | null, alt: string): string {
  if (!logo || !/^image\/(png|jpeg)$/.test(logo.mediaType)) return '';
  return `<img src="data:${logo.mediaType};base64,${Buffer.from(logo.content).toString('base64')}" alt="${h(alt)}">`;
}

/** Each company's logo as the page shows it, with what identified it: read and encoded again only once changed. */
const logos = new Map<string, { stamp: string; alt: string; tag: string }>();

/** The logo's tag: a logo of up to 2 MB is not read and encoded in base64 on every view. */
async function currentLogoTag(db: Db, companyId: string, stamp: string | null, alt: string): Promise<string> {
  if (stamp === null) return '';
  const known = logos.get(companyId);
  if (known && known.stamp === stamp && known.alt === alt) return known.tag;
  const tag = logoTag((await getLetterSettings(db, companyId)).logo, alt);
  logos.set(companyId, { stamp, alt, tag });
  return tag;
}

function identity(company: Company): string {
  const a = company.address;
  const lines = [company.legalName, a.line1, a.line2, [a.postcode, a.city].filter(Boolean).join(' '), company.phone];
  return lines
    .filter((l): l is string => Boolean(l?.trim()))
    .map((l) => h(l))
    .join('<br>');
}

/** Figures and dates read the French way whatever the page's language, as on the company's invoices. */
const FORMATS = 'fr';

/** What each invoice shows, worked out once for the table, the payment codes and the forms. */
type InvoiceLine = { invoice: PortalInvoiceRow; number: string; balance: string };

function invoiceLines(data: PortalData): InvoiceLine[] {
  return data.invoices.map((i) => ({
    invoice: i,
    number: h(i.number),
    balance: moneyText(i.total - i.allocated, i.currency, FORMATS).text,
  }));
}

function invoiceTable(t: TFunction, data: PortalData, lines: InvoiceLine[], base: string): string {
  const lang = FORMATS;
  const language = data.customer.language;
  const pdf = h(t('portal.page.pdfInvoice'));
  const notLate = h(t('portal.page.notLate'));
  let rows = '';
  for (const { invoice: i, number, balance } of lines) {
    const late = daysBetween(i.dueDate, data.today);
    rows +=
      `<tr><td>${number}</td><td>${h(formatDateText(i.issueDate, lang))}</td>` +
      `<td>${h(formatDateText(i.dueDate, lang))}</td>` +
      `<td class="n">${h(balance)}</td>` +
      `<td class="n">${late > 0 ? h(countText(language, 'portal.page.days', late)) : notLate}</td>` +
      `<td class="n">${i.reminders}</td>` +
      `<td><a href="${h(`${base}/invoices/${i.id}.pdf`)}">${pdf}</a></td></tr>`;
  }
  const totals = totalsByCurrency(data.invoices)
    .map(
      ([currency, cents]) =>
        `<tr><td colspan="3">${h(t('portal.page.total'))}</td><td class="n">${h(moneyText(cents, currency, lang).text)}</td><td colspan="3"></td></tr>`,
    )
    .join('');
  return (
    `<table><thead><tr><th>${h(t('portal.page.invoice'))}</th><th>${h(t('portal.page.issued'))}</th>` +
    `<th>${h(t('portal.page.due'))}</th><th class="n">${h(t('portal.page.balance'))}</th>` +
    `<th class="n">${h(t('portal.page.late'))}</th><th class="n">${h(t('portal.page.reminders'))}</th><th></th></tr></thead>` +
    `<tbody>${rows}</tbody><tfoot>${totals}</tfoot></table>`
  );
}

function totalsByCurrency(invoices: PortalInvoiceRow[]): [string, number][] {
  const sums = new Map<string, number>();
  for (const i of invoices) sums.set(i.currency, (sums.get(i.currency) ?? 0) + i.total - i.allocated);
  return [...sums];
}

function paySection(t: TFunction, data: PortalData, lines: InvoiceLine[], base: string): string {
  const { company, customer } = data;
  const lang = FORMATS;
  const numbers = data.invoices.map((i) => i.number);
  const reference = transferReference(numbers, customer.code);
  const parts: string[] = [];
  const details = [
    company.iban
      ? `${h(t('portal.page.labelled', { label: t('portal.page.iban') }))}<strong>${h(company.iban)}</strong>`
      : null,
    company.bic ? `${h(t('portal.page.labelled', { label: t('portal.page.bic') }))}${h(company.bic)}` : null,
    `${h(t('portal.page.labelled', { label: t('portal.page.reference') }))}<strong>${h(reference)}</strong>`,
  ].filter(Boolean);
  parts.push(`<div><p>${details.join('<br>')}</p>`);
  const [[currency, total] = ['EUR', 0]] = totalsByCurrency(data.invoices);
  const link = paymentLink(company.paymentLinkPattern, {
    reference,
    amount: formatAmount(total, currency),
    customer: customer.code,
  });
  if (link) parts.push(`<p><a class="button" href="${h(link)}">${h(t('portal.page.payOnline'))}</a></p>`);
  parts.push('</div>');
  if (company.iban) {
    const payload = epcPayload({
      name: company.legalName,
      iban: company.iban,
      bic: company.bic,
      amountCents: total,
      currency,
      reference,
    });
    const amount = moneyText(total, currency, lang).text;
    if (payload)
      parts.push(
        `<figure class="qr">${qrSvg(payload, t('portal.page.qrTotal', { amount }))}<figcaption><small>${h(t('portal.page.qrTotal', { amount }))}</small></figcaption></figure>`,
      );
    // Each invoice's code is its own image, fetched only when its line is opened: a page of many invoices stays small.
    const qrInvoice = pageTemplate(data.customer.language, 'portal.page.qrInvoice', ['number', 'amount']);
    let perInvoice = '';
    for (const { invoice: i, balance } of lines) {
      if (i.currency !== 'EUR') continue;
      const text = h(qrInvoice({ number: i.number, amount: balance }));
      perInvoice += `<details><summary>${text}</summary><img src="${h(`${base}/qr/${i.id}.svg`)}" width="160" height="160" loading="lazy" alt="${text}"></details>`;
    }
    if (data.invoices.length > 1 && perInvoice) parts.push(`<div>${perInvoice}</div>`);
  }
  return `<h2>${h(t('portal.page.pay'))}</h2><div class="pay">${parts.join('')}</div>`;
}

/** One invoice's EPC QR code as SVG, or null when the standard cannot carry it (no IBAN, not in euros). */
export function invoiceQr(data: PortalData, invoiceId: string): string | null {
  const invoice = data.invoices.find((i) => i.id === invoiceId);
  const { company } = data;
  if (!invoice || !company.iban) return null;
  const payload = epcPayload({
    name: company.legalName,
    iban: company.iban,
    bic: company.bic,
    amountCents: invoice.total - invoice.allocated,
    currency: invoice.currency,
    reference: invoice.number,
  });
  return payload ? qrSvg(payload, invoice.number) : null;
}

/** The whole page, in the customer's language; `state` carries a form's errors and values, or the thank-you notice. */
export async function renderPortalPage(
  db: Db,
  visit: PortalVisit,
  data: PortalData,
  state: { sent?: boolean; form?: FormState; csrf: Record<string, string> },
): Promise<string> {
  const t = pageTranslator(data.customer.language);
  const base = `/portal/${visit.token}`;
  const logo = await currentLogoTag(db, visit.companyId, visit.logoStamp, data.company.legalName);
  const title = t('portal.page.title', { company: data.company.legalName });
  const lines = invoiceLines(data);
  const body = [
    `<header>${logo}<div>${identity(data.company)}</div></header>`,
    `<h1>${h(title)}</h1>`,
    state.sent ? `<p class="notice" role="status">${h(t('portal.page.sent'))}</p>` : '',
    `<p>${h(t('portal.page.hello', { customer: data.customer.name }))}</p>`,
    data.invoices.length === 0
      ? `<p>${h(t('portal.page.none'))}</p>`
      : `<p>${h(t('portal.page.intro'))}</p>${invoiceTable(t, data, lines, base)}`,
    data.hasLetter ? `<p><a href="${h(`${base}/letter.pdf`)}">${h(t('portal.page.pdfLetter'))}</a></p>` : '',
    data.invoices.length > 0 ? paySection(t, data, lines, base) : '',
    data.invoices.length > 0 ? portalForms(t, data, base, state.form ?? null, state.csrf) : '',
  ];
  return document(data.customer.language, title, body.join(''));
}

/** The one page every refused link gets, in both languages since nobody is known. */
export function notFoundPage(): string {
  const fr = translator('fr');
  const en = translator('en');
  return document(
    'fr',
    fr('portal.notFound.title'),
    `<h1>${h(fr('portal.notFound.title'))}</h1><p>${h(fr('portal.notFound.body'))}</p>` +
      `<h1 lang="en">${h(en('portal.notFound.title'))}</h1><p lang="en">${h(en('portal.notFound.body'))}</p>`,
  );
}

export function tooManyPage(): string {
  const fr = translator('fr');
  const en = translator('en');
  return document(
    'fr',
    fr('errors.rate_limited'),
    `<p>${h(fr('portal.tooMany'))}</p><p lang="en">${h(en('portal.tooMany'))}</p>`,
  );
}
