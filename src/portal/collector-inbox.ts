import { todayIn } from '../domain/calendar.ts';
import { unreadReplies } from '../replies/list-replies.ts';
import type { Actor } from '../shared/actor.ts';
import {
  openDisputes,
  pendingScheduleRequests,
  runningPromises,
  unconfirmedAnnouncements,
} from '../storage/collector-inbox.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';

type Section<T> = { count: number; items: T[] };
type RowOf<T extends (...args: never[]) => Promise<{ rows: unknown[] }>> = Awaited<ReturnType<T>>['rows'][number];

export type CollectorInbox = {
  /** Disputes from the payment page, until their task is done or the invoice no longer disputed. */
  tasks: Section<RowOf<typeof openDisputes>>;
  /** Payment plans asked for, to accept or refuse. */
  schedules: Section<RowOf<typeof pendingScheduleRequests>>;
  /** "J'ai payé" not yet confirmed by a payment. */
  payments: Section<RowOf<typeof unconfirmedAnnouncements>>;
  /** Promises to pay the customers gave on the payment page, whose day has not passed. */
  promises: Section<RowOf<typeof runningPromises>>;
  /** Answers to reminders nobody has read. */
  replies: Section<{
    id: string;
    customerId: string;
    customerCode: string;
    customerName: string;
    at: string;
    subject: string;
  }>;
};

/**
 * What customers said that waits for a collector: each section holds its oldest (or, for promises, nearest) items
 * up to `limit` and the full count, over the customers the actor may see. An item leaves once handled: the task
 * done, the plan decided, the payment received, the promised day past, the answer read.
 */
export async function collectorInbox(db: Db, actor: Actor, limit = 10): Promise<CollectorInbox> {
  const company = await getCompany(db, actor.companyId);
  const scope = { companyId: actor.companyId, salesRep: actor.salesRep, limit };
  const [tasks, schedules, payments, promises, replies] = await Promise.all([
    openDisputes(db, scope),
    pendingScheduleRequests(db, scope),
    unconfirmedAnnouncements(db, scope),
    runningPromises(db, { ...scope, today: todayIn(company.timeZone) }),
    unreadReplies(db, actor, limit),
  ]);
  const section = <T>(s: { count: number; rows: T[] }): Section<T> => ({ count: s.count, items: s.rows });
  return {
    tasks: section(tasks),
    schedules: section(schedules),
    payments: section(payments),
    promises: section(promises),
    replies: {
      count: replies.count,
      items: replies.replies.map((r) => ({
        id: r.id,
        customerId: r.customerId,
        customerCode: r.customerCode,
        customerName: r.customerName,
        at: r.receivedAt,
        subject: r.subject,
      })),
    },
  };
}
