import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client.ts';
import type { Categories } from '../api/types.ts';

export function useCategories() {
  return useQuery({ queryKey: ['categories'], queryFn: () => get<Categories>('/api/v1/invoices/categories'), staleTime: 60_000 });
}
