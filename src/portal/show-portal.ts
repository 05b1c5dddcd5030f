import { invoiceCopyPdf } from '../documents/invoice-copy.ts';
import { renderLetterPdf } from '../documents/letter.ts';
import { prepareLetters } from '../documents/run-letters.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import type { Db } from '../storage/database.ts';
import { getLetterSettings } from '../storage/documents.ts';
import { getInvoice } from '../storage/invoices.ts';
import { lastCommunication } from '../storage/portal-page.ts';
import { answerOnPortal } from './answer-on-portal.ts';
import { openPortal, type PortalVisit } from './open-portal.ts';
import { FORMS, type FormName, type FormState } from './portal-forms.ts';
import type { UploadedFile } from './portal-input.ts';
import { invoiceQr, loadPortalData, notFoundPage, renderPortalPage, type PortalData } from './portal-page.ts';
import { pageFormTokens } from './token.ts';

export type PortalReply =
  | { kind: 'html'; status: number; html: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'pdf'; filename: string; pdf: Buffer }
  | { kind: 'svg'; svg: string };

const NOT_FOUND: PortalReply = { kind: 'html', status: 404, html: notFoundPage() };

async function visitOrNull(db: Db, token: string): Promise<PortalVisit | null> {
  try {
    return await openPortal(db, token);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  }
}

async function page(db: Db, visit: PortalVisit, data: PortalData, state: { sent?: boolean; form?: FormState }) {
  const csrf = await pageFormTokens(db, visit.token, FORMS);
  return renderPortalPage(db, visit, data, { ...state, csrf });
}

/** The customer's page, or the one neutral "not found" page for any link that does not open it. */
export async function showPortal(db: Db, token: string, options: { sent?: boolean } = {}): Promise<PortalReply> {
  const visit = await visitOrNull(db, token);
  if (!visit) return NOT_FOUND;
  const data = await loadPortalData(db, visit);
  return { kind: 'html', status: 200, html: await page(db, visit, data, { sent: options.sent }) };
}

/** A form posted from the page: recorded then back to the page (so a reload does not send it twice), or the page with the errors. */
export async function postPortalAnswer(
  db: Db,
  token: string,
  form: string,
  fields: Record<string, string>,
  file: UploadedFile | null,
): Promise<PortalReply> {
  const visit = await visitOrNull(db, token);
  if (!visit || !(FORMS as readonly string[]).includes(form)) return NOT_FOUND;
  const answer = await answerOnPortal(db, visit, form as FormName, fields, file);
  if (answer.ok) return { kind: 'redirect', location: `/portal/${token}?sent=1` };
  return { kind: 'html', status: answer.status, html: await page(db, visit, answer.data, { form: answer.state }) };
}

/** The EPC QR code of one of this customer's open invoices. */
export async function portalInvoiceQr(db: Db, token: string, invoiceId: string): Promise<PortalReply> {
  const visit = await visitOrNull(db, token);
  if (!visit) return NOT_FOUND;
  const svg = invoiceQr(await loadPortalData(db, visit), invoiceId);
  return svg === null ? NOT_FOUND : { kind: 'svg', svg };
}

/** A PDF of the page: a copy of one of this customer's invoices, or their last letter; anything else is not found. */
export async function portalDocument(
  db: Db,
  token: string,
  what: { invoiceId: string } | { letter: true },
): Promise<PortalReply> {
  const visit = await visitOrNull(db, token);
  if (!visit) return NOT_FOUND;
  if ('invoiceId' in what) {
    if (!isId(what.invoiceId)) return NOT_FOUND;
    const invoice = await getInvoice(db, visit.companyId, what.invoiceId).catch(() => null);
    if (!invoice || invoice.customerId !== visit.customerId) return NOT_FOUND;
    return {
      kind: 'pdf',
      filename: `${invoice.number}.pdf`,
      pdf: await invoiceCopyPdf(db, visit.companyId, invoice.id),
    };
  }
  const last = await lastCommunication(db, visit.companyId, visit.customerId);
  if (!last) return NOT_FOUND;
  const [letter] = await prepareLetters(db, visit.companyId, [
    { customerId: visit.customerId, invoiceIds: last.invoiceIds, level: last.level, date: last.sentOn },
  ]);
  const pdf = await renderLetterPdf(letter!.context, letter!.letterText, await getLetterSettings(db, visit.companyId));
  return { kind: 'pdf', filename: `${letter!.context.customer.code}-${last.sentOn}.pdf`, pdf };
}
