import { Anchor, Button, Group, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, get } from '../api/client.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { EmptyState, QueryState } from '../components/states.tsx';
import { date, localToday, money } from '../format.ts';
import { useIsAdmin, useSession } from '../session.tsx';
import { QuotePolicy } from './quote-policy.tsx';
import { errorText } from '../api/error-text.ts';

type Quote = {
  id: string;
  number: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  date: string;
  validUntil: string;
  currency: string;
  total: number;
  status: 'pending' | 'accepted' | 'refused';
};
type FollowUps = {
  date: string;
  quotes: { quoteId: string; number: string; customer: string; label: string; status: string }[];
  instalments: { invoiceId: string; number: string; customer: string; seq: number; count: number; status: string }[];
};
const STATUSES = ['pending', 'accepted', 'refused'] as const;

/**
 * Devis: the quotes (imported or recorded through the API) with their status, set here when the customer answers; the
 * follow-up policy of pending quotes; and what the follow-ups would send on a chosen day (quotes and instalments).
 */
export default function Quotes() {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const canWrite = useSession().role !== 'viewer';
  const client = useQueryClient();
  const [status, setStatus] = useState<string | null>('pending');
  const [day, setDay] = useState(localToday);
  const quotes = useQuery({
    queryKey: ['quotes', status],
    queryFn: () => get<{ items: Quote[] }>('/api/v1/quotes', { status }),
  });
  const followUps = useQuery({
    queryKey: ['follow-ups', day],
    queryFn: () => get<FollowUps>('/api/v1/follow-ups', { date: day }),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(day),
  });
  const statusLabel = (s: string) => t(`enums.quoteStatus.${s}`, { ns: 'messages' });
  const setQuoteStatus = async (q: Quote, next: string) => {
    try {
      await api('PUT', `/api/v1/quotes/${encodeURIComponent(q.number)}/status`, { status: next });
      await client.invalidateQueries({ queryKey: ['quotes'] });
      await client.invalidateQueries({ queryKey: ['follow-ups'] });
      notifications.show({
        color: 'green',
        message: t('quotes.changed', { number: q.number, status: statusLabel(next) }),
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const outcome = (s: string) => t(`quotes.outcomes.${s}`);
  return (
    <Stack>
      <Group justify="space-between">
        <PageHeading title={t('quotes.title')} />
        {admin && (
          <Button component={Link} to="/import?kind=quotes" variant="default">
            {t('quotes.import')}
          </Button>
        )}
      </Group>
      <Select
        label={t('quotes.status')}
        placeholder={t('quotes.anyStatus')}
        clearable
        value={status}
        onChange={setStatus}
        data={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
        w={220}
        data-testid="quotes-status"
      />
      <QueryState query={quotes}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState>{t('quotes.empty')}</EmptyState>
          ) : (
            <Table striped data-testid="quotes-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('quotes.number')}</Table.Th>
                  <Table.Th>{t('quotes.customer')}</Table.Th>
                  <Table.Th>{t('quotes.date')}</Table.Th>
                  <Table.Th>{t('quotes.validUntil')}</Table.Th>
                  <Table.Th ta="right">{t('quotes.total')}</Table.Th>
                  <Table.Th>{t('quotes.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((q) => (
                  <Table.Tr key={q.id} data-quote={q.number}>
                    <Table.Td>{q.number}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/customers/${q.customerId}`}>
                        {q.customerName}
                      </Anchor>{' '}
                      <Text span size="xs" c="dimmed">
                        {q.customerCode}
                      </Text>
                    </Table.Td>
                    <Table.Td>{date(q.date)}</Table.Td>
                    <Table.Td>{date(q.validUntil)}</Table.Td>
                    <Table.Td ta="right">{money(q.total, q.currency)}</Table.Td>
                    <Table.Td>
                      {canWrite ? (
                        <SegmentedControl
                          size="xs"
                          aria-label={t('quotes.status')}
                          value={q.status}
                          onChange={(v) => void setQuoteStatus(q, v)}
                          data={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
                        />
                      ) : (
                        statusLabel(q.status)
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      <QuotePolicy />
      <Title order={2} size="h4">
        {t('quotes.upcoming')}
      </Title>
      <TextInput
        label={t('quotes.on')}
        type="date"
        value={day}
        onChange={(e) => setDay(e.currentTarget.value)}
        w={200}
      />
      <QueryState query={followUps}>
        {(report) =>
          report.quotes.length + report.instalments.length === 0 ? (
            <EmptyState>{t('quotes.nothing')}</EmptyState>
          ) : (
            <Table striped data-testid="follow-ups">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('quotes.customer')}</Table.Th>
                  <Table.Th>{t('quotes.document')}</Table.Th>
                  <Table.Th>{t('quotes.step')}</Table.Th>
                  <Table.Th>{t('quotes.outcome')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.quotes.map((q) => (
                  <Table.Tr key={`q-${q.quoteId}`}>
                    <Table.Td>{q.customer}</Table.Td>
                    <Table.Td>{t('quotes.quote', { number: q.number })}</Table.Td>
                    <Table.Td>{q.label}</Table.Td>
                    <Table.Td>{outcome(q.status)}</Table.Td>
                  </Table.Tr>
                ))}
                {report.instalments.map((i) => (
                  <Table.Tr key={`i-${i.invoiceId}-${i.seq}`}>
                    <Table.Td>{i.customer}</Table.Td>
                    <Table.Td>{t('quotes.instalment', { seq: i.seq, count: i.count, number: i.number })}</Table.Td>
                    <Table.Td>—</Table.Td>
                    <Table.Td>{outcome(i.status)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
    </Stack>
  );
}
