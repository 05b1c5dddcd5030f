import type { IsoDate } from '../domain/calendar.ts';
import { presentChoice } from '../domain/dunning/content.ts';
import { type Policy, policyFor } from '../domain/dunning/policy.ts';
import { loadPolicies } from '../dunning/load-inputs.ts';
import { AppError } from '../shared/errors.ts';
import type { Db } from '../storage/database.ts';

export type ManualLevels = {
  policy: Policy;
  levels: Map<string, number>;
  level: number;
  /** The invoices the message demands (all at `level`) and those only mentioned as not yet due. */
  demanded: string[];
  upcoming: string[];
};

/** The customer's own policy, else the company's default one. */
export async function customerPolicy(db: Db, companyId: string, customerId: string): Promise<Policy> {
  const [policies, customer] = await Promise.all([
    loadPolicies(db, companyId),
    db
      .selectFrom('customers')
      .select('policy_id')
      .where('company_id', '=', companyId)
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow(),
  ]);
  return policyFor({ policyId: customer.policy_id }, policies);
}

/**
 * What a reminder sent by hand records (the composer's draft shows the same), by the content rules of
 * every message (presentChoice): the invoices past due at their next level under the customer's policy,
 * the ones not yet due only mentioned ("à échoir", no level). One message is one level, so choosing
 * invoices at two levels is refused with the levels named.
 */
export async function manualLevels(
  db: Db,
  companyId: string,
  options: {
    customerId: string;
    date: IsoDate;
    invoices: { id: string; number?: string; due_date: IsoDate }[];
    history: { invoice_id: string; level: number; sent_on: IsoDate; state?: string }[];
    /** A preselection (every open invoice of a customer) keeps the invoices of the most advanced level instead of refusing. */
    narrow?: boolean;
  },
): Promise<ManualLevels> {
  const policy = await customerPolicy(db, companyId, options.customerId);
  const chosen = options.invoices.map((i) => ({
    id: i.id,
    number: i.number ?? i.id,
    dueDate: i.due_date,
    reminders: options.history
      .filter((h) => h.invoice_id === i.id && h.state !== 'pending')
      .map((h) => ({ level: h.level, date: h.sent_on })),
  }));
  const { groups, upcoming } = presentChoice(policy, chosen, options.date);
  if (groups.length === 0)
    throw new AppError(
      'invalid_input',
      'None of these invoices is due yet: a reminder can only ask for invoices past their due date.',
      [],
      { key: 'problem.manual.noneDue' },
    );
  if (groups.length > 1 && options.narrow) groups.splice(0, groups.length - 1);
  if (groups.length > 1) {
    const label = (level: number) => policy.steps[level - 1]?.label ?? String(level);
    // The policy's own step labels and the invoice numbers: the same words in any language.
    const levels = groups
      .map((g) => `${label(g.level)} : ${g.ids.map((id) => chosen.find((c) => c.id === id)!.number).join(', ')}`)
      .join(' ; ');
    throw new AppError('invalid_input', `These invoices are at different reminder levels (${levels}).`, [], {
      key: 'problem.manual.severalLevels',
      params: { levels },
    });
  }
  const group = groups[0]!;
  const levels = new Map(group.ids.map((id) => [id, group.level]));
  return { policy, levels, level: group.level, demanded: group.ids, upcoming };
}
