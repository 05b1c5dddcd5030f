import { formatDateText, moneyText } from '../communications/format.ts';
import { loadMessageContext, sampleContextFor } from '../communications/load-context.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import type { PlanItem } from '../domain/dunning/engine.ts';
import { companyLanguage, type Language } from '../domain/ledger.ts';
import { loadPolicies } from '../dunning/load-inputs.ts';
import { planDunning } from '../dunning/run-dunning.ts';
import { translator } from '../i18n/index.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomerByCode } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { isOpenInvoice } from '../storage/open-invoice.ts';
import { inTransaction } from '../storage/transactions.ts';
import { enqueueMessages, type OutboxMessage } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import type { Kysely } from 'kysely';
import { getTemplate, templateKeyForStep, type TemplateKey } from '../templates/index.ts';
import { getPolicy } from '../storage/dunning.ts';
import { parsePolicy, type Policy, policyFor } from '../domain/dunning/policy.ts';

async function namedPolicy(db: Db, companyId: string, name: string): Promise<Policy> {
  return parsePolicy((await getPolicy(db, companyId, name))!.definition);
}
import { withPortalUrls } from '../portal/portal-links.ts';
import { replyToFor } from '../replies/reply-address.ts';
import { toOutboxInput } from './compose.ts';
import { getMailSettings, parseAddressList } from './settings.ts';
import { textToHtml } from './typed-text.ts';

export type TestSendOptions = {
  /** The policy step (1-based) whose message is sent. */
  level: number;
  to: string;
  /** Real data: this customer's unpaid invoices; without it, sample data signed by the company. */
  customerCode?: string;
  language?: Language;
  date?: IsoDate;
  /**
   * The template to send (the template editor's test); without it, the template of step `level` of the
   * policy (the step editor's test, `relance send-test --step`), never a template's built-in level.
   */
  template?: TemplateKey;
  /** The policy whose step is tested; default: the customer's, else the company's default. */
  policyName?: string;
};

/**
 * "Recevoir un message test": a step's message, rendered exactly as a customer would get it
 * (same template, same attachments), queued to the given address only. Nothing is recorded in the
 * history and the subject says it is a test.
 */
export async function sendTestMessage(db: Db, companyId: string, options: TestSendOptions): Promise<OutboxMessage> {
  const [address] = parseAddressList(options.to, 'to');
  if (!address)
    throw new AppError('invalid_input', 'to: give the address the test goes to.', [], { key: 'problem.mail.testTo' });
  if (!Number.isInteger(options.level) || options.level < 0)
    throw new AppError('invalid_input', 'step must be 0 or more.', [], { key: 'problem.mail.stepNegative' });
  const company = await getCompany(db, companyId);
  const date = options.date ?? todayIn(company.timeZone);
  const policies = await loadPolicies(db, companyId);
  let context;
  let policy = options.policyName ? await namedPolicy(db, companyId, options.policyName) : policies.fallback;
  if (options.customerCode) {
    const customer = await getCustomerByCode(db, companyId, options.customerCode);
    const row = await db
      .selectFrom('customers')
      .select('policy_id')
      .where('company_id', '=', companyId)
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    if (!options.policyName) policy = policyFor({ policyId: row.policy_id }, policies);
    const invoices = await db
      .selectFrom('invoices')
      .select('id')
      .where('company_id', '=', companyId)
      .where('customer_id', '=', customer.id)
      .where(isOpenInvoice())
      .orderBy('due_date')
      .limit(50)
      .execute();
    if (invoices.length === 0)
      throw new AppError('invalid_input', `Customer ${customer.code} has no unpaid invoice to show.`, [], {
        key: 'problem.mail.noUnpaid',
        params: { customer: customer.code },
      });
    context = await loadMessageContext(db, companyId, {
      customerId: customer.id,
      invoiceIds: invoices.map((i) => i.id),
      level: options.level,
      date,
      language: options.language,
    });
  } else {
    context = sampleContextFor(company, options.language ?? companyLanguage(company), options.level, date);
  }
  if (options.level > policy.steps.length) {
    throw new AppError(
      'invalid_input',
      `step ${options.level}: the policy "${policy.name}" has ${policy.steps.length} steps.`,
      [],
      {
        key: 'problem.mail.stepBeyond',
        params: { step: options.level, policy: policy.name, count: policy.steps.length },
      },
    );
  }
  const template = await getTemplate(
    db,
    companyId,
    options.template ?? templateKeyForStep(policy, options.level),
    context.language,
  );
  const settings = await getMailSettings(db, companyId);
  const real = options.customerCode !== undefined;
  return inTransaction(db, async (trx) => {
    // With a real customer, its page's address and its Reply-To, as its reminder carries them; the sample keeps
    // an address that opens nothing, and the plain Reply-To.
    if (real) await withPortalUrls(trx, companyId, [context]);
    const input = toOutboxInput(context, template, settings, {
      kind: 'test',
      idempotencyKey: `test:${newId()}`,
      customerId: real ? context.customer.id : null,
      to: [address],
      cc: [],
      bcc: [],
      replyTo: real ? (await replyToFor(trx, companyId, settings))(context.customer.id) : settings.replyTo,
      attach: { letter: true, invoices: real },
    });
    input.subject = `[Test] ${input.subject}`;
    const [message] = await enqueueMessages(trx, companyId, [input]);
    return message!;
  });
}

/**
 * The plan as a message in the reader's language: per customer, per step (the policy's own labels), the
 * invoices concerned, their balance and due date as people write them, and why any will not be reminded.
 */
export function simulationText(
  items: PlanItem[],
  date: IsoDate,
  companyName: string,
  language: Language,
): { subject: string; text: string } {
  const t = translator(language);
  const lines: string[] = [];
  const customers = [...new Set(items.map((i) => i.customer))];
  for (const customer of customers) {
    lines.push('', customer);
    const mine = items.filter((i) => i.customer === customer);
    for (const level of [...new Set(mine.map((i) => i.nextLevel ?? i.lastLevel))].sort((a, b) => a - b)) {
      const atLevel = mine.filter((i) => (i.nextLevel ?? i.lastLevel) === level);
      lines.push(`  ${atLevel[0]!.label}`);
      for (const item of atLevel) {
        let verdict: string;
        if (item.action === 'send') {
          verdict = t('simulation.send', {
            channels: item.channels.map((c) => t(`enums.channel.${c}`).toLowerCase()).join(' + '),
          });
        } else {
          const why = item.reason ? t(`plan.reason.${item.reason.code}`) : '';
          const reason =
            item.action === 'wait' && item.eligibleOn
              ? t('plan.possibleOn', { reason: why, date: formatDateText(item.eligibleOn, language) })
              : why;
          verdict = t(item.action === 'wait' ? 'simulation.wait' : 'simulation.skip', { reason });
        }
        lines.push(
          `    ${t('simulation.item', {
            invoice: item.invoice,
            balance: moneyText(item.balanceCents, item.currency, language).text,
            due: formatDateText(item.dueDate, language),
            verdict,
          })}`,
        );
      }
    }
  }
  if (customers.length === 0) lines.push('', t('simulation.none'));
  const title = t('simulation.title', { date: formatDateText(date, language), company: companyName });
  return { subject: title, text: `${title}\n${lines.join('\n')}\n` };
}

/**
 * Mails the simulation of a date to the user; nothing else changes. `alongside` writes in the transaction that queues
 * the message (the caller's audit row); the plan is made before it opens.
 */
export async function sendSimulation(
  db: Kysely<Database>,
  companyId: string,
  options: { to: string; date?: IsoDate; language?: Language },
  alongside?: (trx: Db, message: OutboxMessage) => Promise<void>,
): Promise<OutboxMessage> {
  const [address] = parseAddressList(options.to, 'to');
  if (!address)
    throw new AppError('invalid_input', 'to: give the address the simulation goes to.', [], {
      key: 'problem.mail.simulationTo',
    });
  const company = await getCompany(db, companyId);
  const date = options.date ?? todayIn(company.timeZone);
  const language = options.language ?? companyLanguage(company);
  const plan = await planDunning(db, companyId, { date });
  const { subject, text } = simulationText(plan.items, date, company.legalName, language);
  const settings = await getMailSettings(db, companyId);
  return inTransaction(db, async (trx) => {
    const [message] = await enqueueMessages(trx, companyId, [
      {
        kind: 'simulation',
        idempotencyKey: `simulation:${newId()}`,
        to: [address],
        subject,
        text,
        html: textToHtml(text, language).replace('<body>', '<body style="font-family:monospace;white-space:pre-wrap">'),
        replyTo: settings.replyTo,
      },
    ]);
    await alongside?.(trx, message!);
    return message!;
  });
}
