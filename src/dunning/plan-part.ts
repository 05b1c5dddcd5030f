import type { IsoDate } from '../domain/calendar.ts';
import { decideAll, sortDecisions, type Decisions } from '../domain/dunning/engine.ts';
import type { Db } from '../storage/database.ts';
import { loadDunningInputs, type InputFilter, type loadPolicies } from './load-inputs.ts';
import { chargesForPlan, loadChargesSetting, type ItemCharges } from './plan-charges.ts';

export type Policies = Awaited<ReturnType<typeof loadPolicies>>;
export type PartOutcome = { decisions: Decisions; charges: Map<string, ItemCharges> };

/**
 * The decisions, in plan order, and late-payment charges of one part of the company's open invoices (a rowid range), as a
 * whole plan makes them: read with settlements, decided one invoice at a time. The parts of a split plan are
 * made apart, in two threads, then put in plan order together (split-plan.ts).
 */
export async function planPart(
  db: Db,
  companyId: string,
  date: IsoDate,
  rowids: InputFilter['rowids'],
  policies: Policies,
): Promise<PartOutcome> {
  const inputs = await loadDunningInputs(db, companyId, { rowids }, { settlements: true, policies });
  // Sorted here, in the part's own thread: the thread that puts the parts together only merges them.
  const decisions = sortDecisions(decideAll(inputs, date));
  return {
    decisions,
    charges: chargesForPlan({ date, items: decisions.planned }, inputs, await loadChargesSetting(db, companyId)),
  };
}
