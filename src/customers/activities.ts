import type { IsoDate } from '../domain/calendar.ts';
import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { recordAudit } from '../storage/audit.ts';
import {
  getActivity,
  insertActivity,
  listActivities,
  listOpenTasks,
  setActivityDone,
  type ActivityKind,
  type CustomerActivity,
  type OpenTask,
} from '../storage/customer-activities.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { listMembers } from '../storage/users.ts';

export type { Actor } from '../shared/actor.ts';

/** A customer the actor may see; another représentant's customer does not exist for a restricted collector. */
async function visibleCustomer(db: Db, actor: Actor, customerId: string) {
  const customer = await getCustomer(db, actor.companyId, customerId);
  if (actor.salesRep !== null && customer.salesRep !== actor.salesRep)
    throw new AppError('not_found', `No customer with id ${customerId}.`, [], {
      key: 'problem.notFound.customer',
      params: { id: customerId },
    });
  return customer;
}

export type ActivityInput = {
  kind: ActivityKind;
  body: string;
  dueOn: IsoDate | null;
  assignedTo: string | null;
  /** The invoice a task is about (the payment page's dispute task), for the collector's card of answers. */
  invoiceId?: string | null;
};

/**
 * Records a note, a call or a task on a customer, with its audit row. A task needs a date and is assigned
 * to a member of the company (the author when none is named), whose dashboard shows it until it is done.
 */
export async function addCustomerActivity(
  db: Db,
  actor: Actor,
  customerId: string,
  input: ActivityInput,
): Promise<CustomerActivity> {
  return inTransaction(db, async (trx) => {
    const customer = await visibleCustomer(trx, actor, customerId);
    let assignedTo: string | null = null;
    if (input.kind === 'task') {
      if (input.dueOn === null)
        throw new AppError(
          'invalid_input',
          'A task needs a date (dueOn).',
          [{ field: 'dueOn', reason: 'required', code: 'problem.validation.required' }],
          {
            key: 'problem.activity.taskDate',
          },
        );
      assignedTo = input.assignedTo ?? actor.userId;
      if (assignedTo !== null && !(await listMembers(trx, actor.companyId)).some((m) => m.userId === assignedTo)) {
        throw new AppError(
          'invalid_input',
          `No user with id ${assignedTo} in this company.`,
          [{ field: 'assignedTo', reason: 'unknown user', code: 'reason.unknownUser' }],
          { key: 'problem.notFound.member', params: { id: assignedTo } },
        );
      }
    }
    const id = await insertActivity(trx, actor.companyId, {
      customerId: customer.id,
      kind: input.kind,
      body: input.body,
      dueOn: input.kind === 'task' ? input.dueOn : null,
      assignedTo,
      createdBy: actor.userId,
      invoiceId: input.kind === 'task' ? (input.invoiceId ?? null) : null,
    });
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: `customer.${input.kind}`,
      target: customer.code,
      details: { id, dueOn: input.dueOn, assignedTo },
    });
    return getActivity(trx, actor.companyId, id);
  });
}

/** Marks a task done (or to do again). */
export async function setTaskDone(db: Db, actor: Actor, id: string, done: boolean): Promise<CustomerActivity> {
  return inTransaction(db, async (trx) => {
    const activity = await getActivity(trx, actor.companyId, id);
    const customer = await visibleCustomer(trx, actor, activity.customerId);
    if (activity.kind !== 'task')
      throw new AppError('invalid_input', 'Only a task can be marked done.', [], { key: 'problem.activity.onlyTask' });
    await setActivityDone(trx, actor.companyId, id, done);
    await recordAudit(trx, actor.companyId, {
      userId: actor.userId,
      actor: actor.name,
      action: done ? 'task.done' : 'task.reopened',
      target: customer.code,
      details: { id },
    });
    return getActivity(trx, actor.companyId, id);
  });
}

export async function customerActivities(db: Db, actor: Actor, customerId: string): Promise<CustomerActivity[]> {
  await visibleCustomer(db, actor, customerId);
  return listActivities(db, actor.companyId, customerId);
}

/** The actor's own tasks still to do, for the dashboard. */
export async function myOpenTasks(db: Db, actor: Actor): Promise<OpenTask[]> {
  if (actor.userId === null) return [];
  return listOpenTasks(db, actor.companyId, actor.userId, { salesRep: actor.salesRep ?? undefined });
}

/** The people a task can be assigned to. */
export async function assignees(
  db: Db,
  companyId: string,
): Promise<{ id: string; email: string; name: string | null }[]> {
  return (await listMembers(db, companyId))
    .filter((m) => m.role !== 'viewer')
    .map((m) => ({ id: m.userId, email: m.email, name: m.name }));
}
