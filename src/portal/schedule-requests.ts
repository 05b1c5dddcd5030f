import { formatDateText, moneyText } from '../communications/format.ts';
import { addCustomerActivity } from '../customers/activities.ts';
import { companyLanguage, type Language } from '../domain/ledger.ts';
import { translator } from '../i18n/index.ts';
import { setPaymentSchedule } from '../invoices/set-payment-schedule.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import { recordAudit } from '../storage/audit.ts';
import { getCompany } from '../storage/companies.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { getInvoice } from '../storage/invoices.ts';
import {
  decideScheduleRequest,
  getScheduleRequest,
  listScheduleRequests,
  type ScheduleRequest,
} from '../storage/portal-answers.ts';
import { inTransaction } from '../storage/transactions.ts';
import { queueCustomerMail } from './customer-receipt.ts';

export type { ScheduleRequest } from '../storage/portal-answers.ts';

/** The payment plans a customer asked for on their page, newest first. */
export async function customerScheduleRequests(db: Db, actor: Actor, customerId: string): Promise<ScheduleRequest[]> {
  const customer = await getCustomer(db, actor.companyId, customerId);
  assertSees(actor, customer, `customer with id ${customerId}`);
  return listScheduleRequests(db, actor.companyId, customer.id);
}

/**
 * The collector's answer to a requested payment plan. Accepted, it becomes the invoice's schedule through the same
 * use case as one typed in the workspace; refused, the customer is told why. Either way the customer gets an e-mail
 * and the timeline a note, in one transaction; a request already decided cannot be decided again.
 */
export async function decideScheduleRequestAs(
  db: Db,
  actor: Actor,
  id: string,
  decision: { accept: boolean; message: string | null },
): Promise<ScheduleRequest> {
  if (!isId(id))
    throw new AppError('not_found', `No payment plan request with id ${id}.`, [], {
      key: 'problem.notFound.scheduleRequest',
      params: { id },
    });
  return inTransaction(db, async (trx) => {
    const request = await getScheduleRequest(trx, actor.companyId, id);
    if (!request)
      throw new AppError('not_found', `No payment plan request with id ${id}.`, [], {
        key: 'problem.notFound.scheduleRequest',
        params: { id },
      });
    const customer = await getCustomer(trx, actor.companyId, request.customerId);
    assertSees(actor, customer, `payment plan request with id ${id}`);
    if (!decision.accept && !decision.message?.trim())
      throw new AppError(
        'invalid_input',
        'Say why the payment plan is refused (message).',
        [{ field: 'message', reason: 'required', code: 'problem.validation.required' }],
        { key: 'problem.portal.refusalMessage' },
      );
    const decided = await decideScheduleRequest(trx, actor.companyId, id, {
      status: decision.accept ? 'accepted' : 'refused',
      answer: decision.message?.trim() || null,
      decidedBy: actor.name,
    });
    if (!decided)
      throw new AppError('conflict', `The payment plan request ${id} was already answered.`, [], {
        key: 'problem.portal.alreadyAnswered',
        params: { id },
      });
    if (decision.accept) await setPaymentSchedule(trx, actor, request.invoiceId, { instalments: request.instalments });
    const company = await getCompany(trx, actor.companyId);
    const invoice = await getInvoice(trx, actor.companyId, request.invoiceId);
    const office = companyLanguage(company);
    const language: Language = customer.language === 'en' ? 'en' : 'fr';
    const params = (lang: Language) => ({
      invoice: request.invoiceNumber,
      message: decision.message?.trim() ?? '',
      instalments: request.instalments
        .map((i) => `${formatDateText(i.dueDate, lang)} ${moneyText(i.amount, invoice.currency, lang).text}`)
        .join(' ; '),
    });
    const which = decision.accept ? 'accepted' : 'refused';
    await addCustomerActivity(trx, actor, customer.id, {
      kind: 'note',
      body: translator(office)(`portal.activity.${which}`, params(office)),
      dueOn: null,
      assignedTo: null,
    });
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: `portal.schedule-${which}`,
      target: request.invoiceNumber,
      details: { id },
    });
    await queueCustomerMail(trx, {
      companyId: actor.companyId,
      companyName: company.legalName,
      customerId: customer.id,
      language,
      body: translator(language)(`portal.receipt.${which}`, params(language)),
    });
    return (await getScheduleRequest(trx, actor.companyId, id))!;
  });
}
