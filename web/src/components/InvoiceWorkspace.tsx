import { Alert, Anchor, Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvoiceFilters, InvoiceListItem } from '../api/types.ts';
import { count } from '../format.ts';
import { InvoiceFilterBar } from './InvoiceFilterBar.tsx';
import { InvoiceTable, type InvoiceSort, type SortState } from './InvoiceTable.tsx';
import { useInvoicePages } from './invoice-query.ts';
import { useSelection, type Selection } from './selection.ts';
import { EmptyState, ErrorState } from './states.tsx';
import { totalsOf } from './totals.ts';
import { TotalsLine } from './TotalsLine.tsx';
import { useState } from 'react';

export type WorkspaceApi = { selection: Selection<InvoiceListItem>; filters: InvoiceFilters; matching: number };
export type { InvoiceSort } from './InvoiceTable.tsx';

/** The sorts offered beside the list (every sortable column's header sorts too, and reverses on a second click). */
const SORT_CHOICES: InvoiceSort[] = ['number', 'dueDate', 'balance'];
const SORT_LABELS: Record<InvoiceSort, string> = {
  number: 'invoices.number',
  dueDate: 'invoices.dueDate',
  issueDate: 'invoices.issueDate',
  total: 'invoices.inclTax',
  balance: 'invoices.balance',
};

/** Filters, the server-paged table, selection across pages and the two totals lines (selection, filter). */
export function InvoiceWorkspace({
  filters,
  onFilters,
  categories,
  toolbar,
  rowActions,
}: {
  filters: InvoiceFilters;
  onFilters: (f: InvoiceFilters) => void;
  categories?: { key: string; label: string }[];
  toolbar?: (api: WorkspaceApi) => ReactNode;
  rowActions?: (row: InvoiceListItem) => ReactNode;
}) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<SortState>({ key: 'number', desc: false });
  const { page, totals, pageNumber, next, previous, hasNext } = useInvoicePages(filters, sort);
  const selection = useSelection<InvoiceListItem>();
  const filterKey = JSON.stringify(filters);
  // A new filter starts a new selection: totals must never mix rows the user can no longer see.
  const { clear, resetAnchor } = selection;
  useEffect(() => clear(), [filterKey, clear]);
  useEffect(() => resetAnchor(), [pageNumber, resetAnchor]);
  const rows = page.data?.items ?? [];
  const matching = totals.data?.totals.reduce((n, r) => n + r.count, 0) ?? 0;
  // A search matching more than the server counts cannot be selected whole: its count is unknown.
  const moreThan = totals.data?.moreThan;
  const pageAllSelected = rows.length > 0 && rows.every((r) => selection.selected.has(r.id));
  const selectionTotals = selection.allMatching ? totals.data?.totals : totalsOf(selection.selected.values());

  return (
    <Stack gap="sm">
      <InvoiceFilterBar filters={filters} onChange={onFilters} categories={categories} />
      <Paper withBorder p="sm">
        <Stack gap={4}>
          <TotalsLine label={t('invoices.selection')} totals={selectionTotals} testId="selection-totals" />
          <TotalsLine
            label={t('invoices.filter')}
            totals={totals.data?.totals}
            moreThan={moreThan}
            testId="filter-totals"
          />
        </Stack>
      </Paper>
      <Group justify="space-between">
        <Group gap="xs">{toolbar?.({ selection, filters, matching })}</Group>
        <Group gap="xs">
          <Text size="sm">{t('invoices.sort')}</Text>
          <SegmentedControl
            size="xs"
            value={SORT_CHOICES.includes(sort.key) ? sort.key : ''}
            onChange={(v) => setSort({ key: v as InvoiceSort, desc: false })}
            data={SORT_CHOICES.map((key) => ({ value: key, label: t(SORT_LABELS[key]) }))}
          />
        </Group>
      </Group>
      {pageAllSelected && !selection.allMatching && moreThan === undefined && matching > rows.length && (
        <Alert variant="light" p="xs">
          {t('invoices.pageSelected', { count: rows.length })}{' '}
          <Anchor component="button" data-testid="select-all-matching" onClick={() => selection.setAllMatching(true)}>
            {t('invoices.selectAllMatching', { formatted: count(matching) })}
          </Anchor>
        </Alert>
      )}
      {selection.allMatching && (
        <Alert variant="light" p="xs" data-testid="all-matching-banner">
          {t('invoices.allMatchingSelected', { formatted: count(matching) })}{' '}
          <Anchor component="button" onClick={selection.clear}>
            {t('invoices.clearSelection')}
          </Anchor>
        </Alert>
      )}
      {page.isError ? (
        <ErrorState error={page.error} />
      ) : page.isPending ? (
        <Text c="dimmed">{t('common.loading')}</Text>
      ) : rows.length === 0 ? (
        <EmptyState>{t('invoices.empty')}</EmptyState>
      ) : (
        // While a new filter or page loads, the previous rows stay on screen, dimmed, busy and not clickable (not selectable).
        <div
          aria-busy={page.isPlaceholderData}
          data-testid="invoice-results"
          style={{
            opacity: page.isPlaceholderData ? 0.5 : 1,
            pointerEvents: page.isPlaceholderData ? 'none' : undefined,
          }}
        >
          <InvoiceTable rows={rows} selection={selection} actions={rowActions} sort={sort} onSort={setSort} />
        </div>
      )}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('invoices.page', { page: pageNumber })} · <span data-testid="list-shortcuts">{t('lists.shortcuts')}</span>
        </Text>
        <Group gap="xs">
          <Button variant="default" size="xs" disabled={pageNumber === 1} onClick={previous}>
            {t('invoices.previous')}
          </Button>
          <Button variant="default" size="xs" disabled={!hasNext} onClick={next} data-testid="next-page">
            {t('invoices.next')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
