import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, download, get, withQuery } from '../api/client.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { EmptyState, QueryState } from '../components/states.tsx';
import { date, money } from '../format.ts';
import { useIsAdmin, useSession } from '../session.tsx';
import { PaymentForm } from './payment-form.tsx';
import { errorText } from '../api/error-text.ts';

export const METHODS = ['transfer', 'cheque', 'card', 'direct_debit', 'cash', 'other'] as const;
export type PaymentRow = {
  id: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  date: string;
  currency: string;
  amount: number;
  method: (typeof METHODS)[number];
  reference: string | null;
  unallocated: number;
  remittanceId: string | null;
};
type Page = { items: PaymentRow[]; nextCursor: string | null };

/**
 * Encaissements: every payment recorded (imported, matched from the bank, pushed by the API or typed here), filtered by
 * method and dates, exported as filtered, recorded by hand and cancelled when recorded by mistake.
 */
export default function Payments() {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const session = useSession();
  const client = useQueryClient();
  const [method, setMethod] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter = { method, from, to };
  const query = useInfiniteQuery({
    queryKey: ['payments', filter],
    queryFn: ({ pageParam }) =>
      get<Page>('/api/v1/payments', { ...filter, limit: 100, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const methodLabel = (m: string) => t(`enums.paymentMethod.${m}`, { ns: 'messages' });
  const cancel = async (p: PaymentRow) => {
    if (!window.confirm(t('payments.cancelConfirm', { amount: money(p.amount, p.currency) }))) return;
    try {
      await api('DELETE', `/api/v1/payments/${p.id}`);
      await client.invalidateQueries();
      notifications.show({ color: 'green', message: t('payments.cancelled') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  return (
    <Stack>
      <Group justify="space-between">
        <PageHeading title={t('payments.title')} />
        <Group gap="xs">
          {(['xlsx', 'csv'] as const).map((format) => (
            <Button
              key={format}
              variant="default"
              data-testid={`payments-export-${format}`}
              onClick={() =>
                void download(
                  'GET',
                  withQuery('/api/v1/payments/export', { ...filter, format }),
                  `encaissements.${format}`,
                )
              }
            >
              {format === 'xlsx' ? 'Excel' : 'CSV'}
            </Button>
          ))}
        </Group>
      </Group>
      {session.role !== 'viewer' && <PaymentForm />}
      <Group align="end">
        <Select
          label={t('payments.method')}
          placeholder={t('payments.anyMethod')}
          clearable
          value={method}
          onChange={setMethod}
          data-testid="payments-method"
          data={METHODS.map((m) => ({ value: m, label: methodLabel(m) }))}
          w={220}
        />
        <TextInput
          label={t('payments.from')}
          type="date"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput label={t('payments.to')} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      <QueryState query={query}>
        {() =>
          rows.length === 0 ? (
            <EmptyState>{t('payments.empty')}</EmptyState>
          ) : (
            <Stack gap="xs">
              <Table striped data-testid="payments-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('payments.date')}</Table.Th>
                    <Table.Th>{t('payments.customer')}</Table.Th>
                    <Table.Th>{t('payments.method')}</Table.Th>
                    <Table.Th>{t('payments.reference')}</Table.Th>
                    <Table.Th ta="right">{t('payments.amount')}</Table.Th>
                    <Table.Th ta="right">{t('payments.unallocated')}</Table.Th>
                    {admin && <Table.Th>{t('payments.actions')}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((p) => (
                    <Table.Tr key={p.id} data-payment={p.reference ?? p.id}>
                      <Table.Td>{date(p.date)}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${p.customerId}`}>
                          {p.customerName}
                        </Anchor>{' '}
                        <Text span size="xs" c="dimmed">
                          {p.customerCode}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {methodLabel(p.method)}{' '}
                        {p.remittanceId && (
                          <Badge size="sm" variant="light" color="gray">
                            {t('payments.remitted')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{p.reference}</Table.Td>
                      <Table.Td ta="right">{money(p.amount, p.currency)}</Table.Td>
                      <Table.Td ta="right">{p.unallocated > 0 ? money(p.unallocated, p.currency) : '—'}</Table.Td>
                      {admin && (
                        <Table.Td>
                          {!p.remittanceId && (
                            <Tooltip label={t('payments.cancel')}>
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={t('payments.cancel')}
                                data-testid="payment-cancel"
                                onClick={() => void cancel(p)}
                              >
                                ×
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {query.hasNextPage && (
                <Button variant="default" w="fit-content" onClick={() => void query.fetchNextPage()}>
                  {t('payments.more')}
                </Button>
              )}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
