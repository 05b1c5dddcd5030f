import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../api/client.ts';
import type { Categories, Policy } from '../api/types.ts';
import { fixedCategoryOptions, levelLabel } from './category-label.ts';

/** The categories with their counts and balances: the server plans the ledger for it, so only the screens that show counts ask. */
export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: () => get<Categories>('/api/v1/invoices/categories'),
    staleTime: 60_000,
  });
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
      { key: `level-${i + 1}-in-progress`, label: levelLabel(i + 1, [step.label], true, t) },
    ]),
    ...fixedCategoryOptions(t),
  ];
}
