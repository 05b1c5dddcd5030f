import { fr as messages } from '../../../src/i18n/fr.ts';
import type { Categories } from '../api/types.ts';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The words of the categories are the server's catalogue (`messages` namespace), so the app and the API agree. */
const category = (key: string) => `relanceCategory.${key}`;
const NS = { ns: 'messages' } as const;

/** The held categories, in the catalogue's order: their keys are its `held-…` entries. */
export const HELD_CATEGORY_KEYS = Object.keys(messages.relanceCategory).filter((key) => key.startsWith('held-'));

/** The name of level N: the steps' own names, else "Level N"; "… in progress" while a reminder of it waits to leave. */
export function levelLabel(level: number, stepLabels: string[], inProgress: boolean, t: Translate): string {
  const name = stepLabels.length > 0 ? stepLabels.join(' / ') : t(category('levelN'), { ...NS, level });
  return inProgress ? t(category('inProgress'), { ...NS, label: name }) : name;
}

/**
 * A category in the user's language, worded from its key and level rather than the label the server sent, so that
 * switching languages needs no refetch: the fixed ones from the catalogue, a level by the policies' own step names.
 */
export function categoryLabel(c: Categories['categories'][number], t: Translate): string {
  if (c.level === null) return t(category(c.key), { ...NS, defaultValue: c.label });
  return levelLabel(c.level, c.stepLabels, c.inProgress, t);
}

/** The fixed categories a filter menu offers after the levels, in the Relances screen's order. */
export function fixedCategoryOptions(t: Translate): { key: string; label: string }[] {
  return ['upcoming', ...HELD_CATEGORY_KEYS, 'out-of-cycle'].map((key) => ({ key, label: t(category(key), NS) }));
}
