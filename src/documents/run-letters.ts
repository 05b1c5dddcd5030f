import { mkdirSync, renameSync } from 'node:fs';
import { policyFor } from '../domain/dunning/policy.ts';
import { join, resolve } from 'node:path';
import { loadMessageContexts, type ContextRequest } from '../communications/load-context.ts';
import { withPortalUrls } from '../portal/portal-links.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { loadPolicies } from '../dunning/load-inputs.ts';
import { AppError } from '../shared/errors.ts';
import type { Db } from '../storage/database.ts';
import { getLetterSettings, recordDocument, type StoredDocument } from '../storage/documents.ts';
import { markRemindersSent } from '../storage/reminder-states.ts';
import { loadTemplates } from '../templates/stored.ts';
import { renderField, templateKeyForStep, templateScope } from '../templates/index.ts';
import { renderBatchPdf, writeBatchPdf, type Batch, type BatchLetter } from './batch.ts';
import { loadInvoiceCopy } from './invoice-copy.ts';
import { cancelCommunication, checkCommunication } from '../mail/send-time-check.ts';
import { getCompany } from '../storage/companies.ts';
import { inIds } from '../storage/in-list.ts';
import { companyLanguage } from '../domain/ledger.ts';
import { customerPolicyIds } from '../storage/policy-reads.ts';

export type LetterOptions = {
  /** Print each invoice's copy (its stored PDF, else a generated one) after its letter. */
  invoiceCopies?: boolean;
};

/**
 * The letters of a set of communications: each one's context (the same loader as e-mails), the letter
 * text of its level's template in the customer's language, and optionally the invoice copies.
 */
export async function prepareLetters(
  db: Db,
  companyId: string,
  requests: ContextRequest[],
  options: LetterOptions = {},
): Promise<BatchLetter[]> {
  if (requests.length === 0) return [];
  const [contexts, templateOf, policies] = await Promise.all([
    loadMessageContexts(db, companyId, requests),
    loadTemplates(db, companyId),
    loadPolicies(db, companyId),
  ]);
  const policyOf = await customerPolicyIds(db, companyId, [...new Set(requests.map((r) => r.customerId))]);
  // Every letter prepared here is one that was recorded as sent: it carries the customer's real page address.
  await withPortalUrls(db, companyId, contexts);
  const letters: BatchLetter[] = [];
  for (const context of contexts) {
    const policyId = policyOf.get(context.customer.id);
    const policy = policyFor({ policyId }, policies);
    const template = templateOf(templateKeyForStep(policy, context.level.number), context.language);
    const letterText = renderField(template, 'letter', templateScope(context), { strict: true, sending: true });
    const copies = options.invoiceCopies
      ? await Promise.all(context.invoices.map((i) => loadInvoiceCopy(db, companyId, i.id, context.date)))
      : undefined;
    letters.push({ context, letterText, ...(copies ? { copies } : {}) });
  }
  return letters;
}

/** The communications of a run that go by post, as context requests. */
export async function runLetterRequests(db: Db, companyId: string, runId: string): Promise<ContextRequest[]> {
  return (await runLetterEntries(db, companyId, runId)).map((e) => e.request);
}

/** The same, each with its communication's id. */
export async function runLetterEntries(
  db: Db,
  companyId: string,
  runId: string,
): Promise<{ communicationId: string; request: ContextRequest }[]> {
  const run = await db
    .selectFrom('runs')
    .select(['run_date'])
    .where('company_id', '=', companyId)
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run)
    throw new AppError('not_found', `No run with id ${runId}.`, [], {
      key: 'problem.notFound.run',
      params: { id: runId },
    });
  // The run's communications first, by its index, then only those that go by post: asked in one join, both
  // engines found them by reading every reminder of the company (a daily run paid for the whole history).
  const byPost = (
    await db
      .selectFrom('communications')
      .select(['id', 'channels'])
      .where('company_id', '=', companyId)
      .where('run_id', '=', runId)
      .execute()
  )
    .filter((c) => c.channels.split(',').includes('letter'))
    .map((c) => c.id);
  if (byPost.length === 0) return [];
  const rows = await db
    .selectFrom('communications as c')
    .innerJoin('reminders as r', (j) =>
      j.onRef('r.company_id', '=', 'c.company_id').onRef('r.communication_id', '=', 'c.id'),
    )
    .innerJoin('customers as k', (j) =>
      j.onRef('k.company_id', '=', 'c.company_id').onRef('k.id', '=', 'c.customer_id'),
    )
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 'r.company_id').onRef('i.id', '=', 'r.invoice_id'))
    .select(['c.id', 'c.customer_id', 'c.level', 'r.invoice_id', 'r.sent_on'])
    .where('c.company_id', '=', companyId)
    .where(inIds(db, 'c.id', byPost))
    .where('r.state', '<>', 'cancelled')
    .orderBy('k.code')
    .orderBy('c.currency')
    .orderBy('i.due_date')
    .orderBy('i.number')
    .execute();
  const requests = new Map<string, ContextRequest>();
  for (const row of rows) {
    const request = requests.get(row.id) ?? {
      customerId: row.customer_id,
      invoiceIds: [],
      level: row.level,
      date: row.sent_on,
    };
    request.invoiceIds.push(row.invoice_id);
    requests.set(row.id, request);
  }
  return [...requests].map(([communicationId, request]) => ({ communicationId, request }));
}

export async function lettersBatch(
  db: Db,
  companyId: string,
  requests: ContextRequest[],
  meta: { title: string; date: IsoDate },
  options: LetterOptions = {},
): Promise<Batch> {
  const [letters, settings] = await Promise.all([
    prepareLetters(db, companyId, requests, options),
    getLetterSettings(db, companyId),
  ]);
  return renderBatchPdf(letters, settings, { ...meta, language: letters[0]?.context.language ?? 'fr' });
}

/**
 * After a run has recorded its communications: the printable batch of those that go by post, written
 * under the data folder (`letters/<company>/<date>-<run>.pdf`, replaced atomically) and recorded in
 * `documents`. Null when the run has no letter to print.
 */
export async function produceRunLetters(
  db: Db,
  companyId: string,
  runId: string,
  options: { dataDir?: string } = {},
): Promise<StoredDocument | null> {
  // The send-time check, as for e-mails: a letter whose invoice was paid, disputed or held meanwhile is not
  // printed, and its communication (with its e-mail, if still queued) is cancelled.
  const entries = await runLetterEntries(db, companyId, runId);
  const requests: ContextRequest[] = [];
  const printed: string[] = [];
  const language = companyLanguage(await getCompany(db, companyId));
  for (const entry of entries) {
    const verdict = await checkCommunication(db, companyId, entry.communicationId, entry.request.date);
    if (verdict) await cancelCommunication(db, companyId, entry.communicationId, verdict, language);
    else {
      requests.push(entry.request);
      printed.push(entry.communicationId);
    }
  }
  if (requests.length === 0) return null;
  const date = requests[0]!.date;
  const [letters, settings] = await Promise.all([
    prepareLetters(db, companyId, requests),
    getLetterSettings(db, companyId),
  ]);
  const dir = resolve(options.dataDir ?? 'data', 'letters', companyId);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${date}-${runId}.pdf`);
  // Written beside and renamed into place: a crash never leaves a half-written batch under the final name.
  const batch = await writeBatchPdf(
    letters,
    settings,
    { title: `Relances ${date}`, date, language: letters[0]?.context.language ?? 'fr' },
    `${path}.tmp`,
  );
  renameSync(`${path}.tmp`, path);
  // Printed: these reminders count as sent (by post) from the batch's date, whatever their e-mail does.
  await markRemindersSent(db, companyId, printed);
  return recordDocument(db, companyId, {
    runId,
    kind: 'letters',
    path,
    letters: batch.letters,
    pages: batch.pages,
    bytes: batch.bytes,
    sha256: batch.sha256,
  });
}
