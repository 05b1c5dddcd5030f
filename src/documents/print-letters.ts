import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { companyDate } from '../accounts/view-company.ts';
import type { ContextRequest } from '../communications/load-context.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import type { Db } from '../storage/database.ts';
import { getLetterSettings, getRunDocument } from '../storage/documents.ts';
import type { Batch } from './batch.ts';
import { renderLetterPdf } from './letter.ts';
import type { Viewer } from '../shared/viewer.ts';
import { communicationRequest, onlyVisible, selectionRequests } from './letter-requests.ts';
import { planLetterRequests } from './plan-letters.ts';
import { lettersBatch, prepareLetters, runLetterRequests } from './run-letters.ts';

/** One letter as a PDF, with what its file is named after: the customer, the first invoice and the date. */
export type PrintedLetter = { pdf: Buffer; customerCode: string; firstInvoice: string | null; date: IsoDate };

async function printOne(db: Db, who: Viewer, requests: ContextRequest[]) {
  const [letter] = await prepareLetters(db, who.companyId, requests);
  const pdf = await renderLetterPdf(letter!.context, letter!.letterText, await getLetterSettings(db, who.companyId));
  const { context } = letter!;
  return {
    pdf,
    customerCode: context.customer.code,
    firstInvoice: context.invoices[0]?.number ?? null,
    date: context.date,
  };
}

/** The letter (or formal notice) of a recorded communication, of a customer the viewer may see. */
export async function communicationLetter(db: Db, who: Viewer, communicationId: string): Promise<PrintedLetter> {
  return printOne(db, who, [await communicationRequest(db, who, communicationId)]);
}

/** The letter of one invoice at its next level, or at the one given, on a date (the company's today by default). */
export async function invoiceLetter(
  db: Db,
  who: Viewer,
  invoiceId: string,
  options: { level?: number; date?: IsoDate },
): Promise<PrintedLetter> {
  const date = options.date ?? (await companyDate(db, who.companyId));
  const requests = await selectionRequests(db, who, [invoiceId], { date, level: options.level });
  return { ...(await printOne(db, who, requests)), date };
}

/**
 * The printable batch of a run's letters: the one the run stored when it is intact and the viewer sees every
 * customer (it holds them all), else made again with the letters of the customers the viewer may see.
 */
export async function runLetters(db: Db, who: Viewer, runId: string, options: { copies: boolean }): Promise<Batch> {
  if (!isId(runId))
    throw new AppError('not_found', `No run with id ${runId}.`, [], {
      key: 'problem.notFound.run',
      params: { id: runId },
    });
  const stored = who.salesRep === null && !options.copies ? await getRunDocument(db, who.companyId, runId) : null;
  if (stored && existsSync(stored.path)) {
    const bytes = readFileSync(stored.path);
    if (createHash('sha256').update(bytes).digest('hex') === stored.sha256)
      return { pdf: bytes, letters: stored.letters, pages: stored.pages };
  }
  const requests = await onlyVisible(db, who, await runLetterRequests(db, who.companyId, runId));
  if (requests.length === 0)
    throw new AppError('not_found', `Run ${runId} has no letter to print.`, [], {
      key: 'problem.notFound.runLetters',
      params: { id: runId },
    });
  return lettersBatch(
    db,
    who.companyId,
    requests,
    { title: `Relances ${requests[0]!.date}`, date: requests[0]!.date },
    { invoiceCopies: options.copies },
  );
}

/**
 * One printable batch for chosen invoices (a letter per customer and currency), or for what the plan of a date
 * sends at a level; records nothing.
 */
export async function printLetters(
  db: Db,
  who: Viewer,
  input: { invoiceIds?: string[]; level?: number; date?: IsoDate; copies: boolean },
): Promise<Batch & { date: IsoDate }> {
  const { invoiceIds, level, copies } = input;
  const date = input.date ?? (await companyDate(db, who.companyId));
  const requests = invoiceIds
    ? await selectionRequests(db, who, invoiceIds, { date, level })
    : await onlyVisible(db, who, await planLetterRequests(db, who.companyId, { date, level }));
  if (requests.length === 0)
    throw new AppError('not_found', `The plan of ${date} has nothing to send at level ${level}.`, [], {
      key: 'problem.notFound.planLevel',
      params: { date, level: level ?? '' },
    });
  const batch = await lettersBatch(
    db,
    who.companyId,
    requests,
    { title: `Relances ${date}`, date },
    { invoiceCopies: copies },
  );
  return { ...batch, date };
}
