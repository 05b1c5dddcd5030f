import { Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, get } from '../api/client.ts';
import type { ReminderItem } from '../api/types.ts';
import { EmptyState, QueryState } from '../components/states.tsx';
import { date } from '../format.ts';

/** "Relances envoyées" (seed 004): one row per invoice with the date of each level, and the summary PDF. */
export default function Sent() {
  const { t } = useTranslation();
  const [customer, setCustomer] = useState('');
  const [code] = useDebouncedValue(customer.trim(), 400);
  const query = useQuery({ queryKey: ['reminders', code], queryFn: () => get<{ items: ReminderItem[] }>('/api/v1/reminders', { customer: code }) });
  const rows = useMemo(() => {
    const byInvoice = new Map<string, { invoice: string; customer: string; levels: Map<number, string> }>();
    for (const r of query.data?.items ?? []) {
      const row = byInvoice.get(r.invoice) ?? { invoice: r.invoice, customer: r.customer, levels: new Map() };
      row.levels.set(r.level, r.sentOn);
      byInvoice.set(r.invoice, row);
    }
    return [...byInvoice.values()];
  }, [query.data]);
  const maxLevel = Math.max(3, ...rows.flatMap((r) => [...r.levels.keys()]));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('sent.title')}</Title>
        <Button variant="default" onClick={() => void download('GET', `/api/v1/documents/summary${code ? `?customer=${encodeURIComponent(code)}` : ''}`,
          'synthese.pdf')}>{t('sent.summaryPdf')}</Button>
      </Group>
      <TextInput label={t('filters.customer')} placeholder={t('filters.customerHint')} value={customer} w={220}
        onChange={(e) => setCustomer(e.currentTarget.value)} />
      <QueryState query={query}>{() => rows.length === 0 ? <EmptyState>{t('sent.empty')}</EmptyState> : (
        <Table striped data-testid="sent-register">
          <Table.Thead><Table.Tr><Table.Th>{t('invoices.number')}</Table.Th><Table.Th>{t('invoices.customer')}</Table.Th>
            {Array.from({ length: maxLevel }, (_, i) => <Table.Th key={i}>{t('invoice.levelN', { level: i + 1 })}</Table.Th>)}</Table.Tr></Table.Thead>
          <Table.Tbody>{rows.slice(0, 1000).map((r) => (
            <Table.Tr key={r.invoice}><Table.Td>{r.invoice}</Table.Td><Table.Td>{r.customer}</Table.Td>
              {Array.from({ length: maxLevel }, (_, i) => <Table.Td key={i}>{date(r.levels.get(i + 1))}</Table.Td>)}</Table.Tr>
          ))}</Table.Tbody>
        </Table>
      )}</QueryState>
    </Stack>
  );
}
