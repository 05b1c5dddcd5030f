import type { TFunction } from 'i18next';
import type { IsoDate } from '../domain/calendar.ts';
import { buildPlan } from '../domain/dunning/engine.ts';
import type { Policy } from '../domain/dunning/policy.ts';
import { companyLanguage, type Language } from '../domain/ledger.ts';
import { translator } from '../i18n/index.ts';
import { getCompany } from '../storage/companies.ts';
import type { Db } from '../storage/database.ts';
import { listCustomers } from '../storage/customers.ts';
import { categoryCounts, categoryOf, HELD_CATEGORIES, refreshCategories } from './categories.ts';
import { loadDunningInputs, loadPolicies } from './load-inputs.ts';

/**
 * A category as the API gives it. `label` is its name in the reader's language (the catalogue's for the fixed
 * categories, the policies' own step names for a level); a client may also word it from `key` (the fixed categories),
 * or from `level`, `stepLabels` (the policies' own names of that step, empty when none names it) and `inProgress` (a
 * reminder of that level is waiting to leave).
 */
export type CategoryView = {
  key: string;
  label: string;
  level: number | null;
  inProgress: boolean;
  stepLabels: string[];
  count: number;
  balance: Record<string, number>;
};

type Naming = Pick<CategoryView, 'label' | 'level' | 'inProgress' | 'stepLabels'>;

const FIXED = new Set<string>(['out-of-cycle', 'upcoming', ...HELD_CATEGORIES]);

/**
 * The name of level N as the policies in use call it: the default policy's and those customers have of
 * their own. When they differ the names are joined ("Relance 1 / Rappel amiable"), so a customer's own
 * policy is never shown under another policy's label.
 */
async function levelLabels(db: Db, companyId: string): Promise<(level: number) => string[]> {
  const policies = await loadPolicies(db, companyId);
  const used = await db
    .selectFrom('customers')
    .select('policy_id')
    .distinct()
    .where('company_id', '=', companyId)
    .where('policy_id', 'is not', null)
    .execute();
  const inUse: Policy[] = [
    policies.fallback,
    ...used.map((r) => policies.byId.get(r.policy_id!)).filter((p): p is Policy => Boolean(p)),
  ];
  return (level) => [
    ...new Set(
      inUse.map((p) => p.steps[Math.min(level, p.steps.length) - 1]?.label).filter((l): l is string => Boolean(l)),
    ),
  ];
}

function namingOf(key: string, labels: (level: number) => string[], t: TFunction): Naming {
  if (FIXED.has(key)) return { label: t(`relanceCategory.${key}`), level: null, inProgress: false, stepLabels: [] };
  const level = Number(/^level-(\d+)/.exec(key)?.[1] ?? 0);
  const stepLabels = labels(level);
  const inProgress = key.endsWith('-in-progress');
  const name = stepLabels.length === 0 ? t('relanceCategory.levelN', { level }) : stepLabels.join(' / ');
  return { label: inProgress ? t('relanceCategory.inProgress', { label: name }) : name, level, inProgress, stepLabels };
}

/**
 * The "Relances" view on a date: each category with its count and balance per currency, named in `language` (the
 * company's by default). Today reads the per-invoice cache (refreshed first); another date plans the ledger.
 * `salesRep` limits it to that représentant's customers.
 */
export async function relanceCategories(
  db: Db,
  companyId: string,
  options: { asOf: IsoDate; today: boolean; salesRep?: string; language?: Language },
): Promise<CategoryView[]> {
  const label = await levelLabels(db, companyId);
  const t = translator(options.language ?? companyLanguage(await getCompany(db, companyId)));
  if (options.today) {
    await refreshCategories(db, companyId, options.asOf);
    const counts = await categoryCounts(db, companyId, options.asOf, { customerSalesRep: options.salesRep });
    return counts.map(({ key, count, balance }) => ({ key, ...namingOf(key, label, t), count, balance }));
  }
  let inputs = await loadDunningInputs(db, companyId);
  if (options.salesRep !== undefined) {
    const mine = new Set(
      (await listCustomers(db, companyId, { salesRep: options.salesRep, limit: 1_000_000 })).map((c) => c.id),
    );
    inputs = inputs.filter((i) => mine.has(i.invoice.customerId));
  }
  const categories = new Map<string, CategoryView>();
  for (const item of buildPlan(inputs, options.asOf).items) {
    const key = categoryOf(item);
    if (key === null) continue;
    const entry = categories.get(key) ?? { key, ...namingOf(key, label, t), count: 0, balance: {} };
    entry.count++;
    entry.balance[item.currency] = (entry.balance[item.currency] ?? 0) + item.balanceCents;
    categories.set(key, entry);
  }
  return [...categories.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}
