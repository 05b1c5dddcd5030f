import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import type { Categories, Policy } from '../api/types.ts';

/** The categories with their counts and balances: the server plans the ledger for it, so only the screens that show counts ask. */
export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: () => get<Categories>('/api/v1/invoices/categories'),
    staleTime: 60_000,
  });
}

const FIXED_LABELS = new Set([
  'upcoming',
  'out-of-cycle',
  'held-disputed',
  'held-blocked',
  'held-below-minimum',
  'held-paused',
  'held-promised',
  'held-no-contact',
]);

/**
 * A category in the user's language: the fixed ones from the catalogue, a level by the policies' own step names
 * (or "Level N" when no step names it), followed by "in progress" while a reminder of it waits to leave.
 */
export function categoryLabel(
  c: Categories['categories'][number],
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  if (FIXED_LABELS.has(c.key)) return t(`relanceCategories.${c.key}`);
  if (c.level === null) return c.label;
  const name = c.stepLabels.length > 0 ? c.stepLabels.join(' / ') : t('relances.levelN', { level: c.level });
  return c.inProgress ? t('relances.inProgress', { label: name }) : name;
}

/** The category names for a filter menu, from the default policy's steps (cheap: no plan). */
export function useCategoryOptions(): { key: string; label: string }[] {
  const { t } = useTranslation();
  const policy = useQuery({
    queryKey: ['policy', 'default'],
    queryFn: () => get<Policy>('/api/v1/policies/default'),
    staleTime: 60_000,
  });
  const steps = (policy.data?.definition as { steps?: { label: string }[] } | undefined)?.steps ?? [];
  return [
    ...steps.flatMap((step, i) => [
      { key: `level-${i + 1}`, label: step.label },
      { key: `level-${i + 1}-in-progress`, label: t('relances.inProgress', { label: step.label }) },
    ]),
    { key: 'upcoming', label: t('relanceCategories.upcoming') },
    ...(
      [
        'held-disputed',
        'held-blocked',
        'held-below-minimum',
        'held-paused',
        'held-promised',
        'held-no-contact',
      ] as const
    ).map((key) => ({ key, label: t(`relanceCategories.${key}`) })),
    { key: 'out-of-cycle', label: t('relances.outOfCycle') },
  ];
}
