import { addDays, daysBetween, type IsoDate } from '../domain/calendar.ts';
import { defaultPolicy, stepLabel } from '../domain/dunning/policy.ts';
import type { Language } from '../domain/ledger.ts';
import { computeCharges, type RateBasis } from '../domain/late-payment/charges.ts';
import { lawTexts } from '../documents/law-texts.ts';
import { formatAmount } from '../domain/money.ts';
import { instalmentPositions } from '../follow-ups/plan.ts';
import { contextAddress, formatDateText, moneyText, transferReference } from './format.ts';
import type { ContextInstalment, ContextInvoice, MessageContext } from './message-context.ts';

export const DEFAULT_SAMPLE_DATE: IsoDate = '2026-03-16';

/** The label of level 0, the first sending outside the ladder (the "Standard" template French dunning tools call it by). */
export const STANDARD_LABEL = 'Standard';

/**
 * A realistic context without a database, for template previews, test sends and the editor: a French
 * company, a customer whose name needs escaping in HTML and accents everywhere, two late invoices (one
 * on a payment schedule, one partly paid) and, for the quote message, one quote. Levels follow the default policy.
 */
export function sampleMessageContext(
  language: Language,
  level = 1,
  date: IsoDate = DEFAULT_SAMPLE_DATE,
): MessageContext {
  const policy = defaultPolicy();
  const step = level > 0 ? policy.steps[Math.min(level, policy.steps.length) - 1] : undefined;
  const formalNotice = step?.formalNotice ?? false;
  const money = (cents: number) => moneyText(cents, 'EUR', language);
  const companyAddress = { line1: '12 rue de la Paix', line2: null, postcode: '75002', city: 'Paris', country: 'FR' };
  const customerAddress = {
    line1: 'Zone artisanale des Prés',
    line2: '3 allée des Tilleuls',
    postcode: '69003',
    city: 'Lyon',
    country: 'FR',
  };
  const specs: {
    number: string;
    title: string;
    issued: number;
    due: number;
    total: number;
    paid: number;
    schedule?: number;
  }[] = [
    {
      number: 'FA-2026-0042',
      title: 'Fournitures janvier',
      issued: -75,
      due: -45,
      total: 123_456,
      paid: 0,
      schedule: 3,
    },
    { number: 'FA-2026-0057', title: 'Maintenance février', issued: -50, due: -20, total: 48_000, paid: 18_000 },
  ];
  let basis: RateBasis | null = null;
  const invoices: ContextInvoice[] = specs.map((s, i) => {
    const issueDate = addDays(date, s.issued);
    // The first sending and the prérelance are about invoices not yet due.
    const ahead = level === 0 ? s.due + 75 : (step?.delayDays ?? 0) < 0 ? s.due + 50 + i * 7 : s.due;
    const dueDate = addDays(date, ahead);
    const late = Math.max(0, daysBetween(dueDate, date));
    const charges =
      late > 0
        ? computeCharges({
            country: 'FR',
            customerKind: 'company',
            amount: s.total,
            payments: s.paid ? [{ date: addDays(dueDate, 3), amount: s.paid }] : [],
            dueDate,
            asOf: date,
          })
        : null;
    basis ??= charges?.basis ?? null;
    return {
      id: `00000000-0000-4000-8000-00000000000${i + 1}`,
      number: s.number,
      title: s.title,
      issueDate,
      dueDate,
      issueDateText: formatDateText(issueDate, language),
      dueDateText: formatDateText(dueDate, language),
      currency: 'EUR',
      total: money(s.total),
      paid: money(s.paid),
      balance: money(s.total - s.paid),
      daysOverdue: late,
      reminders: level > 1 ? [{ level: 1, sentOn: addDays(dueDate, 10) }] : [],
      charges: charges
        ? { interest: money(charges.interest), indemnity: money(charges.indemnity), notes: charges.notes }
        : null,
      hasStoredPdf: false,
      ...(s.schedule ? { instalments: sampleInstalments(s.total, s.paid, s.schedule, dueDate, language) } : {}),
    };
  });
  const claim = (step?.charges ?? false) && (policy.charges?.enabled ?? false);
  const sum = (pick: (i: ContextInvoice) => number) => invoices.reduce((total, i) => total + pick(i), 0);
  const total = sum((i) => i.total.cents);
  const paid = sum((i) => i.paid.cents);
  const interest = claim ? sum((i) => i.charges?.interest?.cents ?? 0) : 0;
  const indemnity = claim ? sum((i) => i.charges?.indemnity?.cents ?? 0) : 0;
  const deadline = formalNotice ? addDays(date, 8) : null;
  const references = invoices.map((i) => i.number).join(', ');
  const quoteDate = addDays(date, -21);
  return {
    language,
    date,
    dateText: formatDateText(date, language),
    level: { number: level, label: step ? stepLabel(step, language) : STANDARD_LABEL, formalNotice, charges: claim },
    company: {
      id: '00000000-0000-4000-8000-0000000000c0',
      legalName: 'Atelier Dupont SARL',
      siren: '732829320',
      vatNumber: 'FR44732829320',
      address: contextAddress(companyAddress, 'FR', language),
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPPXXX',
      letterhead: 'Menuiserie et agencement depuis 1950',
      city: 'Paris',
      legalMentions:
        language === 'en'
          ? 'SARL with a share capital of €10,000.00 · RCS Paris 732 829 320'
          : 'SARL au capital de 10\u00a0000,00\u00a0€ · RCS Paris 732 829 320',
      phone: '+33 1 42 00 00 00',
    },
    customer: {
      id: '00000000-0000-4000-8000-0000000000a1',
      code: 'CLI-0042',
      name: 'Boulangerie Martin & Fils',
      kind: 'company',
      address: contextAddress(customerAddress, 'FR', language),
      salesRep: 'Hélène Garçon',
      language,
    },
    contact: { name: 'Élodie Martin', email: 'elodie.martin@example.fr', phone: '+33 4 72 00 00 00' },
    recipients: ['elodie.martin@example.fr', 'comptabilite@example.fr'],
    currency: 'EUR',
    invoices,
    references,
    totals: {
      total: money(total),
      paid: money(paid),
      balance: money(total - paid),
      interest: money(interest),
      indemnity: money(indemnity),
      due: money(total - paid + interest + indemnity),
    },
    law: lawTexts({ law: 'FR', kind: 'company', language, basis, nextStep: 'fr_injunction' }),
    payment: {
      reference: transferReference(
        invoices.map((i) => i.number),
        'CLI-0042',
      ),
      link: `https://pay.example.fr/atelier-dupont?ref=CLI-0042&amount=${formatAmount(total - paid + interest + indemnity)}`,
      deadline,
      deadlineText: deadline ? formatDateText(deadline, language) : null,
      deadlineDays: deadline ? 8 : null,
    },
    // A page address that opens nothing: previews never create a link.
    portalUrl: 'https://relance.example/portal/exemple',
    quotes: [
      {
        id: '00000000-0000-4000-8000-0000000000d1',
        number: 'DE-2026-0012',
        date: quoteDate,
        dateText: formatDateText(quoteDate, language),
        validUntil: addDays(quoteDate, 30),
        validUntilText: formatDateText(addDays(quoteDate, 30), language),
        currency: 'EUR',
        total: money(356_400),
      },
    ],
  };
}

/** A payment schedule (échéancier) of `count` equal monthly instalments from the due date, as load-context gives it. */
function sampleInstalments(
  total: number,
  paid: number,
  count: number,
  from: IsoDate,
  language: Language,
): ContextInstalment[] {
  const money = (cents: number) => moneyText(cents, 'EUR', language);
  const schedule = Array.from({ length: count }, (_, k) => ({
    seq: k + 1,
    dueDate: addDays(from, 30 * k),
    amount: Math.floor(total / count) + (k === count - 1 ? total % count : 0),
  }));
  return instalmentPositions(total, paid, schedule).map((p) => ({
    seq: p.seq,
    count,
    dueDate: p.dueDate,
    dueDateText: formatDateText(p.dueDate, language),
    amount: money(p.amount),
    unpaid: money(p.unpaid),
  }));
}
