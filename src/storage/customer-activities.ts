import { newId } from '../shared/ids.ts';
import { AppError } from '../shared/errors.ts';
import type { Db } from './database.ts';
import { nowIso } from './database.ts';
import type { CustomerActivityRow } from './schema.ts';

export type ActivityKind = CustomerActivityRow['kind'];
export type CustomerActivity = {
  id: string;
  customerId: string;
  kind: ActivityKind;
  body: string;
  dueOn: string | null;
  assignedTo: string | null;
  assignedEmail: string | null;
  doneAt: string | null;
  createdBy: string | null;
  createdByEmail: string | null;
  createdAt: string;
};
export type OpenTask = CustomerActivity & { customerCode: string; customerName: string };

const columns = [
  'a.id',
  'a.customer_id',
  'a.kind',
  'a.body',
  'a.due_on',
  'a.assigned_to',
  'a.done_at',
  'a.created_by',
  'a.created_at',
  'assignee.email as assigned_email',
  'author.email as created_by_email',
] as const;

function base(db: Db) {
  return db
    .selectFrom('customer_activities as a')
    .leftJoin('users as assignee', 'assignee.id', 'a.assigned_to')
    .leftJoin('users as author', 'author.id', 'a.created_by');
}

type Row = {
  id: string;
  customer_id: string;
  kind: ActivityKind;
  body: string;
  due_on: string | null;
  assigned_to: string | null;
  done_at: string | null;
  created_by: string | null;
  created_at: string;
  assigned_email: string | null;
  created_by_email: string | null;
};

function toActivity(r: Row): CustomerActivity {
  return {
    id: r.id,
    customerId: r.customer_id,
    kind: r.kind,
    body: r.body,
    dueOn: r.due_on,
    assignedTo: r.assigned_to,
    assignedEmail: r.assigned_email,
    doneAt: r.done_at,
    createdBy: r.created_by,
    createdByEmail: r.created_by_email,
    createdAt: r.created_at,
  };
}

export async function insertActivity(
  db: Db,
  companyId: string,
  input: {
    customerId: string;
    kind: ActivityKind;
    body: string;
    dueOn: string | null;
    assignedTo: string | null;
    createdBy: string | null;
    invoiceId?: string | null;
  },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('customer_activities')
    .values({
      company_id: companyId,
      id,
      customer_id: input.customerId,
      kind: input.kind,
      body: input.body,
      due_on: input.dueOn,
      assigned_to: input.assignedTo,
      invoice_id: input.invoiceId ?? null,
      done_at: null,
      created_by: input.createdBy,
      created_at: nowIso(),
    })
    .execute();
  return id;
}

/** A customer's notes, calls and tasks, newest first. */
export async function listActivities(db: Db, companyId: string, customerId: string): Promise<CustomerActivity[]> {
  const rows = await base(db)
    .select(columns)
    .where('a.company_id', '=', companyId)
    .where('a.customer_id', '=', customerId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .limit(500)
    .execute();
  return rows.map((r) => toActivity(r as Row));
}

export async function getActivity(db: Db, companyId: string, id: string): Promise<CustomerActivity> {
  const row = await base(db)
    .select(columns)
    .where('a.company_id', '=', companyId)
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `No note or task with id ${id}.`, [], {
      key: 'problem.notFound.activity',
      params: { id },
    });
  return toActivity(row as Row);
}

/** The tasks still to do assigned to a user, soonest first, with their customer (a restricted user's représentant only). */
export async function listOpenTasks(
  db: Db,
  companyId: string,
  userId: string,
  options: { salesRep?: string } = {},
): Promise<OpenTask[]> {
  let query = base(db)
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'a.company_id').onRef('c.id', '=', 'a.customer_id'),
    )
    .select([...columns, 'c.code as customer_code', 'c.name as customer_name'])
    .where('a.company_id', '=', companyId)
    .where('a.assigned_to', '=', userId)
    .where('a.kind', '=', 'task')
    .where('a.done_at', 'is', null)
    .orderBy('a.due_on')
    .orderBy('a.created_at')
    .limit(200);
  if (options.salesRep !== undefined) query = query.where('c.sales_rep', '=', options.salesRep);
  const rows = await query.execute();
  return rows.map((r) => ({ ...toActivity(r as Row), customerCode: r.customer_code, customerName: r.customer_name }));
}

export async function setActivityDone(db: Db, companyId: string, id: string, done: boolean): Promise<void> {
  await db
    .updateTable('customer_activities')
    .set({ done_at: done ? nowIso() : null })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}
