import { newId } from '../shared/ids.ts';
import type { Instalment } from '../domain/ledger.ts';
import { nowIso, type Db } from './database.ts';

/** Records "j'ai payé" and marks its invoices announced today (their reminders wait, the next run looks again). */
export async function insertPaymentAnnouncement(
  db: Db,
  companyId: string,
  input: {
    customerId: string;
    invoiceIds: string[];
    paidOn: string;
    amount: number;
    currency: string;
    means: string;
    today: string;
    createdBy: string;
  },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('payment_announcements')
    .values({
      company_id: companyId,
      id,
      customer_id: input.customerId,
      invoice_ids: JSON.stringify(input.invoiceIds),
      paid_on: input.paidOn,
      amount: input.amount,
      currency: input.currency,
      means: input.means,
      created_by: input.createdBy,
      created_at: now,
    })
    .execute();
  await db
    .updateTable('invoices')
    .set({ payment_announced_on: input.today, next_action_date: null, updated_at: now })
    .where('company_id', '=', companyId)
    .where('customer_id', '=', input.customerId)
    .where('id', 'in', input.invoiceIds)
    .execute();
  return id;
}

export async function insertPortalFile(
  db: Db,
  companyId: string,
  input: { customerId: string; invoiceId: string; filename: string; mediaType: string; content: Uint8Array },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('portal_files')
    .values({
      company_id: companyId,
      id,
      customer_id: input.customerId,
      invoice_id: input.invoiceId,
      filename: input.filename,
      media_type: input.mediaType,
      content: input.content,
      created_at: nowIso(),
    })
    .execute();
  return id;
}

export type ScheduleRequest = {
  id: string;
  customerId: string;
  invoiceId: string;
  invoiceNumber: string;
  instalments: Instalment[];
  message: string | null;
  status: 'pending' | 'accepted' | 'refused';
  answer: string | null;
  createdAt: string;
  decidedAt: string | null;
};

export async function insertScheduleRequest(
  db: Db,
  companyId: string,
  input: { customerId: string; invoiceId: string; instalments: Instalment[]; message: string | null },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('schedule_requests')
    .values({
      company_id: companyId,
      id,
      customer_id: input.customerId,
      invoice_id: input.invoiceId,
      instalments: JSON.stringify(input.instalments),
      message: input.message,
      status: 'pending',
      answer: null,
      decided_by: null,
      decided_at: null,
      created_at: nowIso(),
    })
    .execute();
  return id;
}

function base(db: Db, companyId: string) {
  return db
    .selectFrom('schedule_requests as s')
    .innerJoin('invoices as i', (j) => j.onRef('i.company_id', '=', 's.company_id').onRef('i.id', '=', 's.invoice_id'))
    .select([
      's.id',
      's.customer_id',
      's.invoice_id',
      'i.number',
      's.instalments',
      's.message',
      's.status',
      's.answer',
      's.created_at',
      's.decided_at',
    ])
    .where('s.company_id', '=', companyId);
}

type Row = {
  id: string;
  customer_id: string;
  invoice_id: string;
  number: string;
  instalments: string;
  message: string | null;
  status: ScheduleRequest['status'];
  answer: string | null;
  created_at: string;
  decided_at: string | null;
};

function toRequest(r: Row): ScheduleRequest {
  return {
    id: r.id,
    customerId: r.customer_id,
    invoiceId: r.invoice_id,
    invoiceNumber: r.number,
    instalments: JSON.parse(r.instalments) as Instalment[],
    message: r.message,
    status: r.status,
    answer: r.answer,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}

export async function listScheduleRequests(db: Db, companyId: string, customerId: string): Promise<ScheduleRequest[]> {
  const rows = await base(db, companyId)
    .where('s.customer_id', '=', customerId)
    .orderBy('s.created_at', 'desc')
    .execute();
  return rows.map(toRequest);
}

export async function getScheduleRequest(db: Db, companyId: string, id: string): Promise<ScheduleRequest | null> {
  const row = await base(db, companyId).where('s.id', '=', id).executeTakeFirst();
  return row ? toRequest(row) : null;
}

export async function hasPendingScheduleRequest(db: Db, companyId: string, invoiceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('schedule_requests')
    .select('id')
    .where('company_id', '=', companyId)
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

/** Accepts or refuses a pending request; false when it was no longer pending. */
export async function decideScheduleRequest(
  db: Db,
  companyId: string,
  id: string,
  decision: { status: 'accepted' | 'refused'; answer: string | null; decidedBy: string },
): Promise<boolean> {
  const result = await db
    .updateTable('schedule_requests')
    .set({ status: decision.status, answer: decision.answer, decided_by: decision.decidedBy, decided_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Marks the promise the customer just gave on the payment page as theirs: the collector's card lists an invoice's
 * promise while its promised date is still this one (a promise changed in the workspace is no longer the customer's).
 */
export async function notePortalPromise(db: Db, companyId: string, invoiceIds: string[], date: string): Promise<void> {
  if (invoiceIds.length === 0) return;
  await db
    .updateTable('invoices')
    .set({ portal_promise_date: date })
    .where('company_id', '=', companyId)
    .where('id', 'in', invoiceIds)
    .execute();
}
