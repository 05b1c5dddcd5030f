import { formatDateText, moneyText } from '../communications/format.ts';
import { addCustomerActivity } from '../customers/activities.ts';
import { companyLanguage } from '../domain/ledger.ts';
import { translator } from '../i18n/index.ts';
import { setDispute } from '../invoices/set-dispute.ts';
import { setPromiseToPay } from '../invoices/set-promise-to-pay.ts';
import { recordAudit } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import {
  hasPendingScheduleRequest,
  insertPaymentAnnouncement,
  insertPortalFile,
  insertScheduleRequest,
  notePortalPromise,
} from '../storage/portal-answers.ts';
import { inTransaction } from '../storage/transactions.ts';
import { queueCollectorNotice } from '../mail/collector-notice.ts';
import { queueCustomerMail } from './customer-receipt.ts';
import { portalActor, type PortalVisit } from './open-portal.ts';
import type { FormName, FormState } from './portal-forms.ts';
import { readAnswer, type PortalAnswerInput, type UploadedFile } from './portal-input.ts';
import { loadPortalData, type PortalData } from './portal-page.ts';
import { checkFormToken } from './token.ts';

export type PortalAnswer = { ok: true } | { ok: false; status: 403 | 422; data: PortalData; state: FormState };

/**
 * An answer the customer gives on their page: checked (anti-forgery value, then every field), then recorded through
 * the workspace's own use cases where there is one (promise, dispute), on the customer's timeline, in the audit log
 * as "client (portail)", with a receipt e-mailed to the customer and a notice to its collector, all in one
 * transaction.
 */
export async function answerOnPortal(
  db: Db,
  visit: PortalVisit,
  form: FormName,
  fields: Record<string, string>,
  file: UploadedFile | null,
): Promise<PortalAnswer> {
  const data = await loadPortalData(db, visit);
  const t = translator(data.customer.language);
  const values = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'csrf'));
  if (!(await checkFormToken(db, visit.token, form, fields.csrf)))
    return { ok: false, status: 403, data, state: { form, errors: [t('portal.error.expired')], values } };
  const read = readAnswer(t, data, form, fields, file);
  if (!read.ok) return { ok: false, status: 422, data, state: { form, errors: read.errors, values } };
  const answer = read.answer;
  if (answer.form === 'schedule' && (await hasPendingScheduleRequest(db, visit.companyId, answer.invoice.id)))
    return { ok: false, status: 422, data, state: { form, errors: [t('portal.error.pending')], values } };
  await inTransaction(db, (trx) => record(trx, visit, data, answer));
  return { ok: true };
}

async function record(db: Db, visit: PortalVisit, data: PortalData, answer: PortalAnswerInput): Promise<void> {
  // The timeline, the audit log and the collector's notice speak the company's language (users have none of
  // their own), decided as the notice decides it; the receipt speaks the customer's.
  const officeLanguage = companyLanguage(data.company);
  const office = translator(officeLanguage);
  const customerT = translator(data.customer.language);
  const actor = portalActor(visit, office('portal.audit'));
  const note = (body: string) =>
    addCustomerActivity(db, actor, visit.customerId, { kind: 'note', body, dueOn: null, assignedTo: null });
  const words = (language: 'fr' | 'en') => {
    const tr = language === data.customer.language ? customerT : office;
    switch (answer.form) {
      case 'paid':
        return {
          amount: moneyText(answer.amount, answer.invoices[0]!.currency, language).text,
          date: formatDateText(answer.date, language),
          means: tr(`portal.means.${answer.means}`),
          invoices: answer.invoices.map((i) => i.number).join(', '),
        };
      case 'promise':
        return {
          invoice: answer.invoices.map((i) => i.number).join(', '),
          date: formatDateText(answer.date, language),
        };
      case 'dispute':
        return {
          invoice: answer.invoice.number,
          reason: tr(`portal.reasons.${answer.reason}`),
          message: answer.message,
        };
      case 'schedule':
        return {
          invoice: answer.invoice.number,
          instalments: answer.instalments
            .map(
              (i) =>
                `${formatDateText(i.dueDate, language)} ${moneyText(i.amount, answer.invoice.currency, language).text}`,
            )
            .join(' ; '),
        };
    }
  };
  const officeWords = words(officeLanguage);
  const summary = office(`portal.activity.${answer.form}`, officeWords);
  let audit: { action: string; target: string; details: unknown };
  switch (answer.form) {
    case 'paid': {
      const id = await insertPaymentAnnouncement(db, visit.companyId, {
        customerId: visit.customerId,
        invoiceIds: answer.invoices.map((i) => i.id),
        paidOn: answer.date,
        amount: answer.amount,
        currency: answer.invoices[0]!.currency,
        means: answer.means,
        today: data.today,
        createdBy: actor.name,
      });
      await note(summary);
      audit = {
        action: 'portal.payment-announced',
        target: data.customer.code,
        details: { id, amount: answer.amount },
      };
      break;
    }
    case 'promise': {
      for (const invoice of answer.invoices) await setPromiseToPay(db, actor, invoice.id, { date: answer.date });
      await notePortalPromise(
        db,
        visit.companyId,
        answer.invoices.map((i) => i.id),
        answer.date,
      );
      await note(summary);
      audit = { action: 'portal.promise', target: data.customer.code, details: { date: answer.date } };
      break;
    }
    case 'dispute': {
      const reason = `${office(`portal.reasons.${answer.reason}`)} : ${answer.message}`.slice(0, 1000);
      await setDispute(db, actor, answer.invoice.id, { reason });
      if (answer.file)
        await insertPortalFile(db, visit.companyId, {
          customerId: visit.customerId,
          invoiceId: answer.invoice.id,
          filename: answer.file.filename.slice(0, 200),
          mediaType: answer.file.mediaType,
          content: answer.file.content,
        });
      await note(summary);
      await addCustomerActivity(db, actor, visit.customerId, {
        kind: 'task',
        body: office('portal.activity.disputeTask', officeWords),
        dueOn: data.today,
        assignedTo: null,
        invoiceId: answer.invoice.id,
      });
      audit = { action: 'portal.dispute', target: answer.invoice.number, details: { reason: answer.reason } };
      break;
    }
    case 'schedule': {
      const id = await insertScheduleRequest(db, visit.companyId, {
        customerId: visit.customerId,
        invoiceId: answer.invoice.id,
        instalments: answer.instalments,
        message: answer.message,
      });
      await note(summary);
      audit = { action: 'portal.schedule-request', target: answer.invoice.number, details: { id } };
      break;
    }
  }
  await recordAudit(db, visit.companyId, { userId: null, actor: actor.name, ...audit });
  await queueCustomerMail(db, {
    companyId: visit.companyId,
    companyName: data.company.legalName,
    customerId: visit.customerId,
    language: data.customer.language,
    body: customerT(`portal.receipt.${answer.form}`, words(data.customer.language)),
    token: visit.token,
  });
  await queueCollectorNotice(db, {
    companyId: visit.companyId,
    customerId: visit.customerId,
    kind: answer.form,
    summary: () => summary,
  });
}
