import type { ContextRequest } from '../communications/load-context.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { presentChoice, type ChosenInvoice } from '../domain/dunning/content.ts';
import { policyFor, type Policy } from '../domain/dunning/policy.ts';
import { loadPolicies } from '../dunning/load-inputs.ts';
import { assertSees } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isId } from '../shared/ids.ts';
import type { Viewer } from '../shared/viewer.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import {
  communicationInvoices,
  customerIdsOfSalesRep,
  reminderRows,
  selectionRows,
} from '../storage/message-selection.ts';

/** The letters of customers the viewer may see, the others left out. */
export async function onlyVisible(db: Db, viewer: Viewer, requests: ContextRequest[]): Promise<ContextRequest[]> {
  if (viewer.salesRep === null) return requests;
  const ids = [...new Set(requests.map((r) => r.customerId))].filter(isId);
  const visible = await customerIdsOfSalesRep(db, viewer.companyId, viewer.salesRep, ids);
  return requests.filter((r) => visible.has(r.customerId));
}

/** A recorded communication (a reminder sent, by a run or by hand) as the request of its letter. */
export async function communicationRequest(db: Db, viewer: Viewer, id: string): Promise<ContextRequest> {
  const communication = await communicationInvoices(db, viewer.companyId, id);
  if (!communication)
    throw new AppError('not_found', `No communication with id ${id}.`, [], {
      key: 'problem.notFound.communication',
      params: { id },
    });
  const customer = await getCustomer(db, viewer.companyId, communication.customerId);
  assertSees({ ...viewer, userId: null, name: '' }, customer, `communication with id ${id}`);
  if (communication.reminders.length === 0)
    throw new AppError('not_found', `Communication ${id} has no reminder.`, [], {
      key: 'problem.notFound.communicationReminder',
      params: { id },
    });
  return {
    customerId: communication.customerId,
    invoiceIds: communication.reminders.map((r) => r.invoiceId),
    level: communication.level,
    date: communication.reminders[0]!.sentOn,
  };
}

/**
 * A selection of invoices ("Générer les relances"), as one letter per customer, currency and level. Each
 * invoice's level is the one after the last it received (capped at its policy's last step), or `level`
 * when given; an invoice not yet due is only mentioned in the à échoir block of the customer's first letter.
 */
export async function selectionRequests(
  db: Db,
  viewer: Viewer,
  invoiceIds: string[],
  options: { date: IsoDate; level?: number },
): Promise<ContextRequest[]> {
  const ids = [...new Set(invoiceIds)];
  const valid = ids.filter(isId);
  const [rows, reminders] = await Promise.all([
    selectionRows(db, viewer.companyId, valid),
    reminderRows(db, viewer.companyId, valid),
  ]);
  const history = new Map<string, { level: number; date: string; pending?: true }[]>();
  for (const r of reminders) {
    // A pending reminder (its message still queued) takes its level but is not counted as sent.
    const reminder = { level: r.level, date: r.sent_on, ...(r.state === 'pending' ? { pending: true as const } : {}) };
    history.set(r.invoice_id, [...(history.get(r.invoice_id) ?? []), reminder]);
  }
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.find(
    (id) => !found.has(id) || (viewer.salesRep !== null && found.get(id)!.sales_rep !== viewer.salesRep),
  );
  if (missing !== undefined)
    throw new AppError('not_found', `No invoice with id ${missing}.`, [], {
      key: 'problem.notFound.invoice',
      params: { id: missing },
    });
  const policies = await loadPolicies(db, viewer.companyId);
  const byCustomer = new Map<string, { policy: Policy; chosen: ChosenInvoice[] }>();
  for (const id of ids) {
    const row = found.get(id)!;
    const key = `${row.customer_id}|${row.currency}`;
    const entry = byCustomer.get(key) ?? { policy: policyFor({ policyId: row.policy_id }, policies), chosen: [] };
    entry.chosen.push({ id, number: row.number, dueDate: row.due_date, reminders: history.get(id) ?? [] });
    byCustomer.set(key, entry);
  }
  const requests: ContextRequest[] = [];
  for (const [key, { policy, chosen }] of byCustomer) {
    const customerId = key.slice(0, key.indexOf('|'));
    if (options.level !== undefined) {
      requests.push({ customerId, invoiceIds: chosen.map((c) => c.id), level: options.level, date: options.date });
      continue;
    }
    // The content rules of every message: one letter per level, invoices not yet due only in the à échoir block.
    const { groups, upcoming } = presentChoice(policy, chosen, options.date);
    groups.forEach((group, index) =>
      requests.push({
        customerId,
        invoiceIds: group.ids,
        level: Math.min(group.level, policy.steps.length),
        date: options.date,
        ...(index === 0 && upcoming.length ? { upcomingIds: upcoming } : {}),
      }),
    );
  }
  return requests;
}
