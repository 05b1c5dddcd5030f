import { Button, Group, Stack, Table, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../api/client.ts';
import type { CustomerListItem, Page } from '../api/types.ts';
import { EmptyState, QueryState } from '../components/states.tsx';
import { money } from '../format.ts';
import { PageHeading } from '../components/PageHeading.tsx';

export default function Customers() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q, 300);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: ['customers', search, cursor],
    placeholderData: keepPreviousData,
    queryFn: () => get<Page<CustomerListItem>>('/api/v1/customers', { q: search, cursor, limit: 50 }),
  });
  return (
    <Stack>
      <PageHeading title={t('customers.title')} />
      <TextInput
        label={t('filters.search')}
        value={q}
        w={300}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setCursors([undefined]);
        }}
      />
      <QueryState query={query}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{t('customers.empty')}</EmptyState>
          ) : (
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('customers.code')}</Table.Th>
                  <Table.Th>{t('customers.name')}</Table.Th>
                  <Table.Th>{t('customers.email')}</Table.Th>
                  <Table.Th>{t('filters.salesRep')}</Table.Th>
                  <Table.Th ta="right">{t('customers.openInvoices')}</Table.Th>
                  <Table.Th ta="right">{t('invoices.balance')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.code}</Table.Td>
                    <Table.Td>
                      <Link to={`/customers/${c.id}`}>{c.name}</Link>
                    </Table.Td>
                    <Table.Td>{c.email ?? '—'}</Table.Td>
                    <Table.Td>{c.salesRep ?? '—'}</Table.Td>
                    <Table.Td ta="right">{c.openInvoices}</Table.Td>
                    <Table.Td ta="right">{money(c.balance)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      <Group justify="end">
        <Button
          variant="default"
          size="xs"
          disabled={cursors.length === 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          {t('invoices.previous')}
        </Button>
        <Button
          variant="default"
          size="xs"
          disabled={!query.data?.nextCursor}
          onClick={() => setCursors((c) => [...c, query.data!.nextCursor!])}
        >
          {t('invoices.next')}
        </Button>
      </Group>
    </Stack>
  );
}
