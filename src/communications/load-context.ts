import { legalMentions } from '../domain/identity.ts';
import { addDays, daysBetween, type IsoDate } from '../domain/calendar.ts';
import { formalNoticeLevels, stepLabel, type Policy, policyFor } from '../domain/dunning/policy.ts';
import type { Company, CustomerKind, Language } from '../domain/ledger.ts';
import { invoiceChargesOrNotes, type RateBasis } from '../domain/late-payment/charges.ts';
import { applicableLaw, nextStepFor, type Law } from '../domain/late-payment/law.ts';
import { rateBook, SHIPPED_RATES, type RateBook } from '../domain/late-payment/rates.ts';
import { lawTexts } from '../documents/law-texts.ts';
import { listCompanyRates } from '../storage/rates.ts';
import { formatAmount } from '../domain/money.ts';
import { loadPolicies } from '../dunning/load-inputs.ts';
import { AppError } from '../shared/errors.ts';
import { groupBy } from '../shared/group-by.ts';
import { instalmentPositions } from '../follow-ups/plan.ts';
import { samplePortalUrl } from '../portal/portal-links.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { contextAddress, formatDateText, moneyText, transferReference } from './format.ts';
import { inIds } from '../storage/in-list.ts';
import type { ContextInvoice, ContextQuote, MessageContext } from './message-context.ts';
import { sampleMessageContext, STANDARD_LABEL } from './sample-context.ts';

export { sampleMessageContext };

/** One message to prepare: a customer, the invoices it is about, the level (0 = first sending / thanks) and the date. */
export type ContextRequest = {
  customerId: string;
  invoiceIds: string[];
  level: number;
  date: IsoDate;
  /** Defaults to the customer's language. */
  language?: Language;
  /** Quotes followed up (the `relance-devis` message). */
  quoteIds?: string[];
  /** Invoices not yet due shown apart ("à échoir"), outside the totals. */
  upcomingIds?: string[];
};

type Loaded = Awaited<ReturnType<typeof loadRows>>;

async function loadRows(db: Db, companyId: string, requests: ContextRequest[]) {
  const customerIds = [...new Set(requests.map((r) => r.customerId))];
  const invoiceIds = [...new Set(requests.flatMap((r) => [...r.invoiceIds, ...(r.upcomingIds ?? [])]))];
  const quoteIds = [...new Set(requests.flatMap((r) => r.quoteIds ?? []))];
  const none = Promise.resolve([]);
  const [
    company,
    policies,
    customers,
    contacts,
    invoices,
    reminders,
    allocations,
    files,
    quotes,
    instalments,
    ownRates,
  ] = await Promise.all([
    getCompany(db, companyId),
    loadPolicies(db, companyId),
    db
      .selectFrom('customers')
      .select([
        'id',
        'code',
        'name',
        'kind',
        'address_line1',
        'address_line2',
        'postcode',
        'city',
        'country',
        'language',
        'sales_rep',
        'policy_id',
        'governing_law',
      ])
      .where('company_id', '=', companyId)
      .where(inIds(db, 'id', customerIds))
      .execute(),
    db
      .selectFrom('contacts')
      .select(['customer_id', 'name', 'email', 'phone', 'is_primary', 'email_bounced_at'])
      .where('company_id', '=', companyId)
      .where(inIds(db, 'customer_id', customerIds))
      .orderBy('customer_id')
      .orderBy('is_primary', 'desc')
      .orderBy('email')
      .orderBy('id')
      .execute(),
    invoiceIds.length === 0
      ? none
      : db
          .selectFrom('invoices')
          .select(['id', 'number', 'customer_id', 'title', 'issue_date', 'due_date', 'currency', 'total', 'allocated'])
          .where('company_id', '=', companyId)
          .where(inIds(db, 'id', invoiceIds))
          .execute(),
    invoiceIds.length === 0
      ? none
      : db
          .selectFrom('reminders')
          .select(['invoice_id', 'level', 'sent_on'])
          .where('company_id', '=', companyId)
          // Implied by 'sent', and said so that SQLite reads the invoices' reminders through the index of those not
          // cancelled (reminders_level_uq), whose condition it cannot derive from `state = 'sent'`: without it a
          // batch of a daily run read every reminder of the company.
          .where('state', '<>', 'cancelled')
          .where('state', '=', 'sent')
          .where(inIds(db, 'invoice_id', invoiceIds))
          .orderBy('sent_on')
          .orderBy('level')
          .execute(),
    invoiceIds.length === 0
      ? none
      : db
          .selectFrom('allocations')
          .select(['invoice_id', 'date', 'amount', 'credit_note_id'])
          .where('company_id', '=', companyId)
          .where(inIds(db, 'invoice_id', invoiceIds))
          .execute(),
    invoiceIds.length === 0
      ? none
      : db
          .selectFrom('invoice_files')
          .select('invoice_id')
          .where('company_id', '=', companyId)
          .where(inIds(db, 'invoice_id', invoiceIds))
          .execute(),
    quoteIds.length === 0
      ? none
      : db
          .selectFrom('quotes')
          .select(['id', 'number', 'customer_id', 'date', 'valid_until', 'currency', 'total'])
          .where('company_id', '=', companyId)
          .where(inIds(db, 'id', quoteIds))
          .execute(),
    invoiceIds.length === 0
      ? none
      : db
          .selectFrom('payment_schedules as s')
          .innerJoin('instalments as n', (j) =>
            j.onRef('n.company_id', '=', 's.company_id').onRef('n.schedule_id', '=', 's.id'),
          )
          .select(['s.invoice_id', 'n.seq', 'n.due_date', 'n.amount'])
          .where('s.company_id', '=', companyId)
          .where(inIds(db, 's.invoice_id', invoiceIds))
          .execute(),
    listCompanyRates(db, companyId),
  ]);
  return {
    company,
    // The company's part of a context, made once per language for the batch: its messages share it (a context is
    // read, never changed: templates see a copy).
    companyParts: {} as Partial<Record<Language, MessageContext['company']>>,
    policies,
    rates: ownRates.length === 0 ? SHIPPED_RATES : rateBook(ownRates),
    customers: new Map(customers.map((c) => [c.id, c])),
    contacts: groupBy(
      contacts,
      (c) => c.customer_id,
      (c) => c,
    ),
    invoices: new Map(invoices.map((i) => [i.id, i])),
    reminders: groupBy(
      reminders,
      (r) => r.invoice_id,
      (r) => ({ level: r.level, sentOn: r.sent_on }),
    ),
    allocations: groupBy(
      allocations,
      (a) => a.invoice_id,
      (a) => ({ date: a.date, amount: a.amount, credit: a.credit_note_id !== null }),
    ),
    files: new Set(files.map((f) => f.invoice_id)),
    quotes: new Map(quotes.map((q) => [q.id, q])),
    instalments: groupBy(
      instalments,
      (n) => n.invoice_id,
      (n) => ({ seq: n.seq, dueDate: n.due_date, amount: n.amount }),
    ),
  };
}

/**
 * The message contexts of a batch of messages, read in a fixed number of set-based queries whatever the
 * batch size (a run's 2,000 letters or 1,000 e-mails), then assembled in memory.
 */
export async function loadMessageContexts(
  db: Db,
  companyId: string,
  requests: ContextRequest[],
): Promise<MessageContext[]> {
  if (requests.length === 0) return [];
  const loaded = await loadRows(db, companyId, requests);
  return requests.map((request) => buildContext(loaded, request));
}

/**
 * loadMessageContexts with the policy each context's level was read from (its customer's): a batch of e-mails picks
 * its templates by it, without reading the policies and the batch's customers a second time.
 */
export async function loadMessageContextsWithPolicies(
  db: Db,
  companyId: string,
  requests: ContextRequest[],
): Promise<{ context: MessageContext; policy: Policy }[]> {
  if (requests.length === 0) return [];
  const loaded = await loadRows(db, companyId, requests);
  return requests.map((request) => {
    const context = buildContext(loaded, request);
    const customer = loaded.customers.get(request.customerId)!;
    return { context, policy: policyFor({ policyId: customer.policy_id }, loaded.policies) };
  });
}

export async function loadMessageContext(db: Db, companyId: string, request: ContextRequest): Promise<MessageContext> {
  const [context] = await loadMessageContexts(db, companyId, [request]);
  return context!;
}

/** The label (in the message's language), formal-notice flag and charges claim of a level of the customer's policy. */
export function levelOf(policy: Policy, level: number, language: Language = 'fr'): MessageContext['level'] {
  if (level <= 0) return { number: 0, label: STANDARD_LABEL, formalNotice: false, charges: false };
  const step = policy.steps[Math.min(level, policy.steps.length) - 1]!;
  return {
    number: level,
    label: stepLabel(step, language),
    formalNotice: step.formalNotice ?? false,
    // The same rule as the plan's summary: the step claims charges and the policy has them on.
    charges: (step.charges ?? false) && (policy.charges?.enabled ?? false),
  };
}

export function paymentLink(
  pattern: string | null | undefined,
  values: { reference: string; amount: string; customer: string },
): string | null {
  if (!pattern) return null;
  return pattern.replace(
    /\{\{\s*(reference|amount|customer)\s*\}\}/g,
    (_match, name: 'reference' | 'amount' | 'customer') => encodeURIComponent(values[name]),
  );
}

function buildContext(loaded: Loaded, request: ContextRequest): MessageContext {
  const { company } = loaded;
  const customer = loaded.customers.get(request.customerId);
  if (!customer)
    throw new AppError('not_found', `No customer with id ${request.customerId}.`, [], {
      key: 'problem.notFound.customer',
      params: { id: request.customerId },
    });
  const language = request.language ?? (customer.language === 'en' ? 'en' : 'fr');
  const policy = policyFor({ policyId: customer.policy_id }, loaded.policies);
  const level = levelOf(policy, request.level, language);
  const kind = customer.kind as CustomerKind;
  const law = applicableLaw({
    sellerCountry: company.address.country,
    customerCountry: customer.country,
    customerKind: kind,
    customerLaw: customer.governing_law,
  });
  let basis: RateBasis | null = null;
  const rowsOf = (ids: string[]) =>
    [...new Set(ids)]
      .map((id) => {
        const row = loaded.invoices.get(id);
        if (!row)
          throw new AppError('not_found', `No invoice with id ${id}.`, [], {
            key: 'problem.notFound.invoice',
            params: { id },
          });
        if (row.customer_id !== customer.id) {
          throw new AppError(
            'invalid_input',
            `Invoice ${row.number} does not belong to customer ${customer.code}.`,
            [],
            { key: 'problem.ledger.invoiceOfOtherCustomer', params: { invoice: row.number, customer: customer.code } },
          );
        }
        return row;
      })
      .sort((a, b) => a.due_date.localeCompare(b.due_date) || a.number.localeCompare(b.number));
  const rows = rowsOf(request.invoiceIds);
  const upcomingRows = rowsOf(request.upcomingIds ?? []).filter((r) => !request.invoiceIds.includes(r.id));
  const currency = rows[0]?.currency ?? company.currency;
  const mixed = [...rows, ...upcomingRows].find((r) => r.currency !== currency);
  if (mixed)
    throw new AppError(
      'invalid_input',
      `Invoice ${mixed.number} is in ${mixed.currency}, not ${currency}: one message per currency.`,
      [],
      {
        key: 'problem.ledger.mixedCurrency',
        params: { invoice: mixed.number, currency: mixed.currency, expected: currency },
      },
    );
  const money = (cents: number) => moneyText(cents, currency, language);
  const noticeLevels = formalNoticeLevels(policy);

  const toContextInvoice = (row: (typeof rows)[number]): ContextInvoice => {
    const reminders = loaded.reminders.get(row.id) ?? [];
    const schedule = loaded.instalments.get(row.id);
    const positions = schedule ? instalmentPositions(row.total, row.allocated, schedule) : null;
    // On a schedule, lateness counts from the first unpaid instalment, as the dunning plan counts it.
    const lateFrom = positions?.find((p) => p.unpaid > 0)?.dueDate ?? row.due_date;
    // A settled invoice (a thank-you message) is no longer late, whatever its due date.
    const daysOverdue = row.allocated >= row.total ? 0 : Math.max(0, daysBetween(lateFrom, request.date));
    let charges: ContextInvoice['charges'] = null;
    if (daysOverdue > 0 && (policy.charges?.enabled ?? true)) {
      const notice = reminders.find((r) => noticeLevels.has(r.level))?.sentOn ?? null;
      const firstReminder = reminders.find((r) => r.sentOn > row.due_date)?.sentOn ?? null;
      const computed = invoiceCharges(
        {
          law,
          kind,
          total: row.total,
          currency: row.currency,
          dueDate: row.due_date,
          issueDate: row.issue_date,
          date: request.date,
          notice,
          firstReminder,
          contractRate: policy.charges?.contractRate ?? null,
          settlements: loaded.allocations.get(row.id) ?? [],
          rates: loaded.rates,
        },
        language,
      );
      charges = computed.charges;
      basis ??= computed.basis;
    }
    return {
      id: row.id,
      number: row.number,
      title: row.title,
      issueDate: row.issue_date,
      dueDate: row.due_date,
      issueDateText: formatDateText(row.issue_date, language),
      dueDateText: formatDateText(row.due_date, language),
      currency: row.currency,
      total: money(row.total),
      paid: money(row.allocated),
      balance: money(row.total - row.allocated),
      daysOverdue,
      reminders,
      charges,
      hasStoredPdf: loaded.files.has(row.id),
      ...(positions
        ? {
            instalments: positions.map((p) => ({
              seq: p.seq,
              count: positions.length,
              dueDate: p.dueDate,
              dueDateText: formatDateText(p.dueDate, language),
              amount: money(p.amount),
              unpaid: money(p.unpaid),
            })),
          }
        : {}),
    };
  };
  const invoices = rows.map(toContextInvoice);
  const upcoming = upcomingRows.map(toContextInvoice);

  const quotes: ContextQuote[] = (request.quoteIds ?? []).map((id) => {
    const q = loaded.quotes.get(id);
    if (!q || q.customer_id !== customer.id)
      throw new AppError('not_found', `No quote ${id} for customer ${customer.code}.`, [], {
        key: 'problem.notFound.quoteOfCustomer',
        params: { id, customer: customer.code },
      });
    return {
      id: q.id,
      number: q.number,
      date: q.date,
      dateText: formatDateText(q.date, language),
      validUntil: q.valid_until,
      validUntilText: formatDateText(q.valid_until, language),
      currency: q.currency,
      total: moneyText(q.total, q.currency, language),
    };
  });

  const sum = (pick: (i: ContextInvoice) => number) => invoices.reduce((total, i) => total + pick(i), 0);
  const balance = sum((i) => i.balance.cents);
  const interest = level.charges ? sum((i) => i.charges?.interest?.cents ?? 0) : 0;
  // The indemnity is in the law's currency (40 € under French law even on a dollar invoice): summed into the total
  // only when it is the message's own.
  const indemnityCurrency = invoices.find((i) => i.charges?.indemnity)?.charges?.indemnity?.currency ?? currency;
  const indemnity = level.charges ? sum((i) => i.charges?.indemnity?.cents ?? 0) : 0;
  const due = balance + interest + (indemnityCurrency === currency ? indemnity : 0);
  const numbers = invoices.length > 0 ? invoices.map((i) => i.number) : quotes.map((q) => q.number);
  const reference = transferReference(numbers, customer.code);
  const deadlineDays = level.formalNotice ? (company.formalNoticeDays ?? 8) : null;
  const deadline = deadlineDays === null ? null : addDays(request.date, deadlineDays);
  const people = loaded.contacts.get(customer.id) ?? [];
  const contact = people.find((p) => p.is_primary === 1) ?? people.find((p) => p.email) ?? null;
  // An address that bounced is not written to again (the mail layer flags it; the run falls back to a letter).
  const recipients = [
    ...new Map(
      people
        .filter((p) => p.email?.trim() && !p.email_bounced_at)
        .map((p) => [p.email!.trim().toLowerCase(), p.email!.trim()]),
    ).values(),
  ];

  return {
    language,
    date: request.date,
    dateText: formatDateText(request.date, language),
    level,
    company: (loaded.companyParts[language] ??= companyPart(company, language)),
    customer: {
      id: customer.id,
      code: customer.code,
      name: customer.name,
      kind,
      address: contextAddress(
        {
          line1: customer.address_line1,
          line2: customer.address_line2,
          postcode: customer.postcode,
          city: customer.city,
          country: customer.country,
        },
        company.address.country,
        language,
      ),
      salesRep: customer.sales_rep,
      language: customer.language === 'en' ? 'en' : 'fr',
    },
    contact: contact ? { name: contact.name, email: contact.email, phone: contact.phone } : null,
    recipients,
    currency,
    invoices,
    references: numbers.join(', '),
    totals: {
      total: money(sum((i) => i.total.cents)),
      paid: money(sum((i) => i.paid.cents)),
      balance: money(balance),
      interest: money(interest),
      indemnity: moneyText(indemnity, indemnityCurrency, language),
      due: money(due),
    },
    law: lawTexts({ law, kind, language, basis, nextStep: nextStepFor(company.address.country, customer.country) }),
    payment: {
      reference,
      link: paymentLink(company.paymentLinkPattern, {
        reference,
        amount: formatAmount(due, currency),
        customer: customer.code,
      }),
      deadline,
      deadlineText: deadline ? formatDateText(deadline, language) : null,
      deadlineDays,
    },
    // Replaced by the customer's real link only when the message is being sent (withPortalUrls).
    portalUrl: samplePortalUrl(),
    quotes,
    ...(upcoming.length > 0 ? { upcoming } : {}),
  };
}

/**
 * Sample data signed by the real company (its name, address, bank details and payment link): what a
 * test send or a preview without a customer shows, so the user sees their own letterhead.
 */
export function sampleContextFor(company: Company, language: Language, level = 1, date?: IsoDate): MessageContext {
  const sample = sampleMessageContext(language, level, date);
  const link = paymentLink(company.paymentLinkPattern, {
    reference: sample.payment.reference,
    amount: formatAmount(sample.totals.due.cents, sample.currency),
    customer: sample.customer.code,
  });
  const deadlineDays = sample.payment.deadline ? (company.formalNoticeDays ?? 8) : null;
  const deadline = deadlineDays === null ? null : addDays(sample.date, deadlineDays);
  return {
    ...sample,
    company: companyPart(company, language),
    payment: {
      ...sample.payment,
      link,
      deadline,
      deadlineText: deadline ? formatDateText(deadline, language) : null,
      deadlineDays,
    },
    portalUrl: samplePortalUrl(),
  };
}

function companyPart(company: Company, language: Language): MessageContext['company'] {
  return {
    id: company.id,
    legalName: company.legalName,
    siren: company.siren,
    vatNumber: company.vatNumber,
    address: contextAddress(company.address, company.address.country, language),
    iban: company.iban,
    bic: company.bic,
    letterhead: company.letterhead,
    city: company.address.city,
    legalMentions: legalMentions(company, language),
    phone: company.phone ?? null,
  };
}

type ChargesInput = {
  law: Law;
  kind: CustomerKind;
  total: number;
  currency: string;
  dueDate: IsoDate;
  issueDate: IsoDate;
  date: IsoDate;
  notice: IsoDate | null;
  firstReminder: IsoDate | null;
  contractRate: number | null;
  rates: RateBook;
  settlements: { date: IsoDate; amount: number; credit: boolean }[];
};

/**
 * As the plan computes them (src/dunning/plan-charges.ts): the applicable law, payments from the day after, credit
 * notes from the start; interest in the invoice's currency, the indemnity in the law's.
 */
function invoiceCharges(
  input: ChargesInput,
  language: Language,
): { charges: NonNullable<ContextInvoice['charges']>; basis: RateBasis | null } {
  const known = input.settlements.filter((p) => p.date <= input.date);
  const outcome = invoiceChargesOrNotes(
    {
      country: input.law,
      customerKind: input.kind,
      amount: input.total,
      payments: known.filter((p) => !p.credit),
      credits: known.filter((p) => p.credit),
      dueDate: input.dueDate,
      issueDate: input.issueDate,
      asOf: input.date,
      formalNoticeDate: input.notice,
      firstReminderDate: input.firstReminder,
      contractRate: input.contractRate,
      rates: input.rates,
    },
    input.currency,
  );
  const money = (cents: number, currency: string) => ({ ...moneyText(cents, currency, language), currency });
  if (!('charges' in outcome)) {
    return {
      basis: null,
      charges: {
        interest: null,
        notes: outcome.notes,
        indemnity: outcome.indemnity === null ? null : money(outcome.indemnity, outcome.indemnityCurrency),
      },
    };
  }
  const { charges } = outcome;
  return {
    basis: charges.basis,
    charges: {
      interest: money(charges.interest, charges.currency),
      indemnity: money(charges.indemnity, charges.indemnityCurrency),
      notes: charges.notes,
    },
  };
}
