import { loadMessageContext, sampleContextFor } from '../communications/load-context.ts';
import type { MessageContext } from '../communications/message-context.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { defaultPolicy, policyFor } from '../domain/dunning/policy.ts';
import { companyLanguage, type Language } from '../domain/ledger.ts';
import { loadPolicies } from '../dunning/load-inputs.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomer, getCustomerByCode } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import {
  customerPolicyId,
  messageInvoices,
  pendingQuoteIds,
  type NamedInvoices,
} from '../storage/message-selection.ts';
import { levelForTemplate, type TemplateKey } from './keys.ts';

export type PreviewInput = {
  key: TemplateKey;
  /** The message's language; by default the customer's (real data) or the company's (sample data). */
  language?: Language;
  customer?: { id: string } | { code: string };
  invoices?: NamedInvoices;
  /** The reminder level the text is written for; by default the step of the customer's policy using this template. */
  level?: number;
  date?: IsoDate;
};

/**
 * What a template is previewed with: a customer's real data (its open invoices unless some are named, its pending
 * quotes for a quote follow-up), else the sample data signed by the company.
 */
export async function previewContext(db: Db, actor: Actor, input: PreviewInput): Promise<MessageContext> {
  const company = await getCompany(db, actor.companyId);
  const date = input.date ?? todayIn(company.timeZone);
  if (!input.customer) {
    const language = input.language ?? companyLanguage(company);
    return sampleContextFor(company, language, input.level ?? levelForTemplate(defaultPolicy(), input.key), date);
  }
  const which = input.customer;
  const customer =
    'id' in which
      ? await getCustomer(db, actor.companyId, which.id)
      : await getCustomerByCode(db, actor.companyId, which.code);
  assertSees(actor, customer, 'id' in which ? `customer with id ${which.id}` : `customer with code ${which.code}`);
  const [invoices, policies, policyId, quoteIds] = await Promise.all([
    messageInvoices(db, actor.companyId, customer, input.invoices),
    loadPolicies(db, actor.companyId),
    customerPolicyId(db, actor.companyId, customer.id),
    input.key === 'relance-devis' ? pendingQuoteIds(db, actor.companyId, customer.id) : Promise.resolve([]),
  ]);
  return loadMessageContext(db, actor.companyId, {
    customerId: customer.id,
    invoiceIds: invoices.map((i) => i.id),
    date,
    level: input.level ?? levelForTemplate(policyFor({ policyId }, policies), input.key),
    language: input.language,
    quoteIds,
  });
}
