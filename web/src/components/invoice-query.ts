import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { get } from '../api/client.ts';
import type { InvoiceFilters, InvoiceListItem, Page, Totals } from '../api/types.ts';
import type { SortState } from './InvoiceTable.tsx';

const FILTER_KEYS = ['status', 'category', 'customer', 'salesRep', 'dueFrom', 'dueTo', 'q'] as const;

/** The filters live in the address, so a filtered list can be bookmarked, shared and reached from the Relances view. */
export function useInvoiceFilters(): [InvoiceFilters, (next: InvoiceFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const f: Record<string, string> = {};
    for (const key of FILTER_KEYS) {
      const value = params.get(key);
      if (value) f[key] = value;
    }
    return f as InvoiceFilters;
  }, [params]);
  const set = (next: InvoiceFilters) => {
    const p = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = next[key];
      if (value) p.set(key, value);
    }
    setParams(p, { replace: true });
  };
  return [filters, set];
}

export const PAGE_SIZE = 50;

/** Keyset pages of the server: a stack of cursors gives previous/next without counting a million rows. */
export function useInvoicePages(filters: InvoiceFilters, sort: SortState) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const key = JSON.stringify([filters, sort]);
  useEffect(() => setCursors([undefined]), [key]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    queryKey: ['invoices', filters, sort, cursor],
    queryFn: () =>
      get<Page<InvoiceListItem>>('/api/v1/invoices', {
        ...filters,
        sort: sort.key,
        order: sort.desc ? 'desc' : 'asc',
        cursor,
        limit: PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
  const totals = useQuery({
    queryKey: ['invoices', 'totals', filters],
    queryFn: () => get<{ totals: Totals; moreThan?: number }>('/api/v1/invoices/totals', filters),
    placeholderData: keepPreviousData,
  });
  return {
    page,
    totals,
    pageNumber: cursors.length,
    next: () => page.data?.nextCursor && setCursors((c) => [...c, page.data!.nextCursor!]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    hasNext: Boolean(page.data?.nextCursor),
  };
}
