import { AppError } from './errors.ts';

/**
 * Who makes a change: the company it acts in, the représentant a restricted collector is limited to (null: every
 * customer), the user when there is one, and the name the audit log gives them.
 */
export type Actor = { companyId: string; salesRep: string | null; userId: string | null; name: string };

/** The command line, the scheduler or an import run by the system: sees every customer, has no user. */
export function systemActor(companyId: string, name = 'relance'): Actor {
  return { companyId, salesRep: null, userId: null, name };
}

/** A restricted collector sees another représentant's customer as if it did not exist. */
export function assertSees(actor: Actor, customer: { salesRep: string | null }, what: string): void {
  if (actor.salesRep !== null && customer.salesRep !== actor.salesRep)
    throw new AppError('not_found', `No ${what}.`, [], { key: 'problem.notFound.hidden' });
}

/**
 * Who runs a change before any company is chosen or across them all (the first company, a migration, a restore):
 * its audit row goes to each company the change touches.
 */
export type Operator = Pick<Actor, 'userId' | 'name'>;

/** The operator acting in one company: sees every customer. */
export function operatorIn(companyId: string, operator: Operator): Actor {
  return { companyId, salesRep: null, userId: operator.userId, name: operator.name };
}
