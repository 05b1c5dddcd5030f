import { Badge, Checkbox, Table, Text, UnstyledButton } from '@mantine/core';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useMemo, type ReactNode } from 'react';
import { useListKeys } from './list-keys.ts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InvoiceListItem } from '../api/types.ts';
import { date, money } from '../format.ts';
import type { Selection } from './selection.ts';

const column = createColumnHelper<InvoiceListItem>();
type Col = ColumnDef<InvoiceListItem, unknown>;
/** What the cells read at render time; kept out of the column definitions so these stay the same from one render to the next. */
type Meta = { selection: Selection<InvoiceListItem>; actions?: (row: InvoiceListItem) => ReactNode };
export type InvoiceSort = 'number' | 'dueDate' | 'issueDate' | 'total' | 'balance';
/** A sort key and its direction; a click on the sorted column's header reverses it. */
export type SortState = { key: InvoiceSort; desc: boolean };
/** The columns the server can order a million rows by within its response-time target (keyset on an index). */
const SORTABLE: Partial<Record<string, InvoiceSort>> = {
  number: 'number',
  issueDate: 'issueDate',
  month: 'issueDate',
  dueDate: 'dueDate',
  overdueFrom: 'dueDate',
  daysOverdue: 'dueDate',
  total: 'total',
  balance: 'balance',
};
function ariaSort(id: string, sort: SortState | undefined): 'ascending' | 'descending' | undefined {
  if (!sort || SORTABLE[id] !== sort.key) return undefined;
  return sort.desc !== (id === 'daysOverdue') ? 'descending' : 'ascending';
}
const month = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const metaOf = (table: { options: { meta?: unknown } }) => table.options.meta as Meta;

/** The invoice list as the Documents screen shows it, with checkboxes (shift-click for a range) and row actions. */
export function InvoiceTable({
  rows,
  selection,
  actions,
  sort,
  onSort,
}: {
  rows: InvoiceListItem[];
  selection: Selection<InvoiceListItem>;
  actions?: (row: InvoiceListItem) => ReactNode;
  sort?: SortState;
  onSort?: (sort: SortState) => void;
}) {
  const { t } = useTranslation();
  // flexRender mounts each cell function as a component: a new function at every render would remount the
  // checkboxes and drop the keyboard focus after each Space, so the columns depend on nothing that changes with a click.
  const hasActions = Boolean(actions);
  const columns = useMemo(() => {
    const list: Col[] = [
      column.display({
        id: 'select',
        header: ({ table }) => {
          const { selection } = metaOf(table);
          const rows = table.options.data;
          return (
            <Checkbox
              aria-label={t('invoices.selectPage')}
              data-testid="select-page"
              checked={selection.allMatching || (rows.length > 0 && rows.every((r) => selection.selected.has(r.id)))}
              indeterminate={
                !selection.allMatching &&
                rows.some((r) => selection.selected.has(r.id)) &&
                !rows.every((r) => selection.selected.has(r.id))
              }
              onChange={() => selection.togglePage(rows)}
            />
          );
        },
        cell: ({ row, table }) => {
          const { selection } = metaOf(table);
          return (
            <Checkbox
              aria-label={t('invoices.selectRow', { number: row.original.number })}
              data-testid="row-select"
              checked={selection.allMatching || selection.selected.has(row.original.id)}
              onChange={() => undefined}
              onClick={(event) => selection.toggle(table.options.data, row.index, event.shiftKey)}
            />
          );
        },
      }) as Col,
      column.accessor('number', {
        header: t('invoices.number'),
        cell: (c) => <Link to={`/invoices/${c.row.original.id}`}>{c.getValue()}</Link>,
      }) as Col,
      column.accessor('customerName', {
        header: t('invoices.customer'),
        cell: (c) => <Link to={`/customers/${c.row.original.customerId}`}>{c.getValue()}</Link>,
      }) as Col,
      column.accessor('title', { header: t('lists.title'), cell: (c) => c.getValue() ?? '—' }) as Col,
      column.accessor('issueDate', { header: t('invoices.issueDate'), cell: (c) => date(c.getValue()) }) as Col,
      column.accessor('issueDate', { id: 'month', header: t('lists.month'), cell: (c) => month(c.getValue()) }) as Col,
      column.accessor('dueDate', { header: t('invoices.dueDate'), cell: (c) => date(c.getValue()) }) as Col,
      column.accessor('overdueFrom', { header: t('lists.overdueFrom'), cell: (c) => date(c.getValue()) }) as Col,
      column.accessor('totalExclTax', {
        header: t('invoices.exclTax'),
        cell: (c) => money(c.getValue(), c.row.original.currency),
      }) as Col,
      column.accessor('total', {
        header: t('invoices.inclTax'),
        cell: (c) => money(c.getValue(), c.row.original.currency),
      }) as Col,
      column.accessor('balance', {
        header: t('invoices.balance'),
        cell: (c) => money(c.getValue(), c.row.original.currency),
      }) as Col,
      column.accessor('salesRep', { header: t('invoices.salesRep'), cell: (c) => c.getValue() ?? '—' }) as Col,
      column.accessor('lastReminderOn', { header: t('invoices.lastReminder'), cell: (c) => date(c.getValue()) }) as Col,
      column.accessor('nextActionDate', { header: t('lists.nextReminder'), cell: (c) => date(c.getValue()) }) as Col,
      column.accessor('daysOverdue', {
        header: t('invoices.late'),
        cell: (c) => {
          const inv = c.row.original;
          if (inv.disputeReason)
            return (
              <Badge color="orange" variant="light">
                {t('invoices.disputed')}
              </Badge>
            );
          if (inv.status === 'cancelled')
            return (
              <Badge color="gray" variant="light">
                {t('invoices.cancelled')}
              </Badge>
            );
          if (inv.balance <= 0)
            return (
              <Badge color="green" variant="light">
                {t('invoices.paid')}
              </Badge>
            );
          return c.getValue() > 0 ? (
            <Text c="red.9" size="sm">
              {t('invoices.daysLate', { count: c.getValue() })}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              {t('invoices.notDue')}
            </Text>
          );
        },
      }) as Col,
    ];
    if (hasActions)
      list.push(
        column.display({
          id: 'actions',
          header: '',
          cell: ({ row, table }) => metaOf(table).actions?.(row.original),
        }) as Col,
      );
    return list;
    // `t` changes with the language, so headers and formats follow the language switch.
  }, [t, hasActions]);
  const meta: Meta = { selection, actions };
  const table = useReactTable({ data: rows, columns, meta, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.id });
  const active = useListKeys(rows.length, {
    toggle: (index) => selection.toggle(rows, index, false),
    open: (index) => rows[index] && `/invoices/${rows[index].id}`,
  });
  const header = (id: string, label: ReactNode) => {
    const key = SORTABLE[id];
    if (!key || !onSort) return label;
    const on = sort?.key === key;
    // The lateness grows as the due date goes back: its column reads the due-date order the other way round.
    const reversed = id === 'daysOverdue';
    return (
      <UnstyledButton fw={700} fz="sm" onClick={() => onSort({ key, desc: on ? !sort.desc : reversed })} data-sort={id}>
        {label}
        {on ? (sort.desc !== reversed ? ' ↓' : ' ↑') : ''}
      </UnstyledButton>
    );
  };
  return (
    <Table.ScrollContainer minWidth={1300}>
      <Table striped highlightOnHover data-testid="invoice-table" style={{ userSelect: 'none' }}>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((h) => (
                <Table.Th key={h.id} aria-sort={ariaSort(h.column.id, sort)}>
                  {header(h.column.id, flexRender(h.column.columnDef.header, h.getContext()))}
                </Table.Th>
              ))}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row, index) => (
            <Table.Tr
              key={row.id}
              data-number={row.original.number}
              data-active={index === active || undefined}
              style={
                index === active ? { outline: '2px solid var(--mantine-color-indigo-8)', outlineOffset: -2 } : undefined
              }
              bg={
                selection.selected.has(row.original.id) || selection.allMatching
                  ? 'var(--mantine-color-indigo-light)'
                  : undefined
              }
            >
              {row.getVisibleCells().map((cell) => (
                <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
