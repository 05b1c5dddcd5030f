import { AppError } from '../shared/errors.ts';
import { isId, newId } from '../shared/ids.ts';
import { nowIso, type Db } from './database.ts';
import type { WebhookDeliveryRow } from './schema.ts';

export const WEBHOOK_EVENTS = [
  'reminder.sent',
  'message.bounced',
  'message.cancelled',
  'invoice.paid',
  'customer.replied',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export type Webhook = { id: string; url: string; events: WebhookEvent[]; active: boolean; createdAt: string };
export type Delivery = {
  id: string;
  webhookId: string;
  event: string;
  status: WebhookDeliveryRow['status'];
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  responseStatus: number | null;
  createdAt: string;
  deliveredAt: string | null;
};

export async function createWebhook(
  db: Db,
  companyId: string,
  input: { url: string; secret: string; events: WebhookEvent[] },
): Promise<Webhook> {
  const row = {
    company_id: companyId,
    id: newId(),
    url: input.url,
    secret: input.secret,
    events: input.events.join(','),
    active: 1,
    created_at: nowIso(),
  };
  await db.insertInto('webhooks').values(row).execute();
  return { id: row.id, url: row.url, events: input.events, active: true, createdAt: row.created_at };
}

export async function listWebhooks(db: Db, companyId: string): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: r.events.split(',') as WebhookEvent[],
    active: r.active === 1,
    createdAt: r.created_at,
  }));
}

export async function deleteWebhook(db: Db, companyId: string, id: string): Promise<void> {
  if (!isId(id))
    throw new AppError('not_found', `No webhook with id ${id}.`, [], {
      key: 'problem.notFound.webhook',
      params: { id },
    });
  await db.deleteFrom('webhook_deliveries').where('company_id', '=', companyId).where('webhook_id', '=', id).execute();
  const result = await db
    .deleteFrom('webhooks')
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n)
    throw new AppError('not_found', `No webhook with id ${id}.`, [], {
      key: 'problem.notFound.webhook',
      params: { id },
    });
}

/**
 * Queues one delivery per subscribed webhook. Called inside the transaction of the change it reports,
 * so an event is queued exactly when the change is committed; the worker sends it afterwards.
 */
export async function enqueueEvent(db: Db, companyId: string, event: WebhookEvent, data: unknown): Promise<number> {
  return enqueueEvents(db, companyId, event, [data]);
}

/** One delivery per subscribed webhook and event, the subscriptions read once and the rows written in one insert. */
export async function enqueueEvents(
  db: Db,
  companyId: string,
  event: WebhookEvent,
  data: readonly unknown[],
): Promise<number> {
  if (data.length === 0) return 0;
  const hooks = await db
    .selectFrom('webhooks')
    .select(['id', 'events'])
    .where('company_id', '=', companyId)
    .where('active', '=', 1)
    .execute();
  const now = nowIso();
  const subscribed = hooks.filter((h) => h.events.split(',').includes(event));
  const rows = data.flatMap((item) =>
    subscribed.map((h) => {
      const id = newId();
      return {
        company_id: companyId,
        id,
        webhook_id: h.id,
        event,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        response_status: null,
        created_at: now,
        delivered_at: null,
        payload: JSON.stringify({ id, event, companyId, createdAt: now, data: item }),
      };
    }),
  );
  // Bounded statements: a file that settles thousands of invoices stays under the engines' parameter limits.
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + 500))
      .execute();
  return rows.length;
}

export type DueDelivery = {
  companyId: string;
  id: string;
  url: string;
  secret: string;
  event: string;
  payload: string;
  attempts: number;
};

/**
 * Claims up to `limit` due deliveries by pushing their next attempt `leaseUntil` ahead; the guarded
 * UPDATE means two workers never claim the same one. A worker that dies leaves it to be retried.
 */
export async function claimDueDeliveries(db: Db, now: string, leaseUntil: string, limit = 20): Promise<DueDelivery[]> {
  const due = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', (j) => j.onRef('w.company_id', '=', 'd.company_id').onRef('w.id', '=', 'd.webhook_id'))
    .select(['d.company_id', 'd.id', 'd.next_attempt_at', 'd.event', 'd.payload', 'd.attempts', 'w.url', 'w.secret'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .orderBy('d.next_attempt_at')
    .limit(limit)
    .execute();
  const claimed: DueDelivery[] = [];
  for (const d of due) {
    const result = await db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('company_id', '=', d.company_id)
      .where('id', '=', d.id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', d.next_attempt_at)
      .executeTakeFirst();
    if (result.numUpdatedRows === 1n) {
      claimed.push({
        companyId: d.company_id,
        id: d.id,
        url: d.url,
        secret: d.secret,
        event: d.event,
        payload: d.payload,
        attempts: d.attempts,
      });
    }
  }
  return claimed;
}

export async function finishDelivery(
  db: Db,
  companyId: string,
  id: string,
  outcome: { ok: true; status: number } | { ok: false; status: number | null; error: string; retryAt: string | null },
): Promise<void> {
  const now = nowIso();
  const values = outcome.ok
    ? { status: 'delivered' as const, response_status: outcome.status, delivered_at: now, last_error: null }
    : {
        status: outcome.retryAt === null ? ('failed' as const) : ('pending' as const),
        response_status: outcome.status,
        last_error: outcome.error.slice(0, 500),
        ...(outcome.retryAt === null ? {} : { next_attempt_at: outcome.retryAt }),
      };
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ ...values, attempts: eb('attempts', '+', 1) }))
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}

export async function listDeliveries(db: Db, companyId: string, webhookId: string, limit = 100): Promise<Delivery[]> {
  if (!isId(webhookId))
    throw new AppError('not_found', `No webhook with id ${webhookId}.`, [], {
      key: 'problem.notFound.webhook',
      params: { id: webhookId },
    });
  const hook = await db
    .selectFrom('webhooks')
    .select('id')
    .where('company_id', '=', companyId)
    .where('id', '=', webhookId)
    .executeTakeFirst();
  if (!hook)
    throw new AppError('not_found', `No webhook with id ${webhookId}.`, [], {
      key: 'problem.notFound.webhook',
      params: { id: webhookId },
    });
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('webhook_id', '=', webhookId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    responseStatus: r.response_status,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  }));
}

/** Whether an active webhook of the company subscribes to `event`. */
export async function wantsEvent(db: Db, companyId: string, event: string): Promise<boolean> {
  const hooks = await db
    .selectFrom('webhooks')
    .select('events')
    .where('company_id', '=', companyId)
    .where('active', '=', 1)
    .execute();
  return hooks.some((h) => h.events.split(',').includes(event));
}

/**
 * reminder.sent for a communication just recorded (by a run, the scheduler, the CLI or a manual send),
 * queued in the transaction that records it: the event exists exactly when the reminders do. Nothing is
 * read beyond the subscriptions when no webhook wants the event.
 */
export async function announceCommunication(
  db: Db,
  companyId: string,
  communication: {
    id: string;
    customerId: string;
    runId: string | null;
    level: number;
    label: string;
    channels: string[];
    currency: string;
    sentOn: string;
    invoiceIds: string[];
  },
): Promise<number> {
  if (!(await wantsEvent(db, companyId, 'reminder.sent'))) return 0;
  const [customer, invoices] = await Promise.all([
    db
      .selectFrom('customers')
      .select('code')
      .where('company_id', '=', companyId)
      .where('id', '=', communication.customerId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('company_id', '=', companyId)
      .where('id', 'in', communication.invoiceIds)
      .orderBy('number')
      .execute(),
  ]);
  return enqueueEvent(db, companyId, 'reminder.sent', {
    communicationId: communication.id,
    runId: communication.runId,
    customer: customer.code,
    level: communication.level,
    label: communication.label,
    channels: communication.channels,
    currency: communication.currency,
    sentOn: communication.sentOn,
    invoices: invoices.map((i) => i.number),
  });
}
