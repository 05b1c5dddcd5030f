import { Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../components/date-field.tsx';
import { Link, useNavigate, useParams } from 'react-router';
import { api, download, get } from '../api/client.ts';
import type { CustomerDetail, InvoiceListItem, Page, Policy, ReminderItem } from '../api/types.ts';
import { EmptyState, QueryState } from '../components/states.tsx';
import { useChannelName, useStepLabel } from '../components/step-label.ts';
import { date, money } from '../format.ts';
import { useCanCollect } from '../session.tsx';
import { CustomerActivities } from './customer-activities.tsx';
import { CustomerContacts } from './customer-contacts.tsx';
import { CustomerPortal } from './customer-portal.tsx';
import { CustomerProgramme } from './customer-programme.tsx';
import { CustomerReplies } from './customer-replies.tsx';
import { CustomerFiles } from './customer-files.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { errorText } from '../api/error-text.ts';

export default function CustomerPage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['customer', id], queryFn: () => get<CustomerDetail>(`/api/v1/customers/${id}`) });
  return <QueryState query={query}>{(customer) => <Customer customer={customer} />}</QueryState>;
}

function Customer({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const canCollect = useCanCollect();
  const open = useQuery({
    queryKey: ['invoices', 'customer', customer.id],
    queryFn: () =>
      get<Page<InvoiceListItem>>('/api/v1/invoices', {
        customerId: customer.id,
        status: 'open',
        limit: 200,
        sort: 'dueDate',
      }),
  });
  const history = useQuery({
    queryKey: ['reminders', customer.code],
    queryFn: () => get<{ items: ReminderItem[] }>('/api/v1/reminders', { customer: customer.code }),
  });
  const levelLabel = useStepLabel(customer.dunning.policy);
  const channelName = useChannelName();
  const policies = useQuery({ queryKey: ['policies'], queryFn: () => get<{ items: Policy[] }>('/api/v1/policies') });
  const [paused, setPaused] = useState(customer.dunning.pausedUntil ?? '');
  const [blocked, setBlocked] = useState('');

  const hold = async (body: Record<string, string | null>) => {
    try {
      await api('PUT', `/api/v1/customers/${customer.id}/hold`, body);
      await client.invalidateQueries({ queryKey: ['customer', customer.id] });
      notifications.show({ color: 'green', message: t('common.saved') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const total = (open.data?.items ?? []).reduce((n, i) => n + i.balance, 0);
  return (
    <Stack>
      <Group justify="space-between">
        <PageHeading title={customer.name}>
          {customer.name}{' '}
          <Text span c="dimmed" inherit>
            ({customer.code})
          </Text>
        </PageHeading>
        <Group>
          <Button
            variant="default"
            onClick={() =>
              void download('GET', `/api/v1/customers/${customer.id}/statement`, `releve-${customer.code}.pdf`)
            }
          >
            {t('customer.statement')}
          </Button>
          {canCollect && (open.data?.items.length ?? 0) > 0 && (
            <Button
              onClick={() =>
                navigate(`/compose?customer=${customer.id}&invoices=${open.data!.items.map((i) => i.id).join(',')}`)
              }
            >
              {t('invoice.createReminder')}
            </Button>
          )}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <CustomerContacts customer={customer} canEdit={canCollect} />
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            {t('customer.policy')}
          </Title>
          <Stack gap="xs">
            <Select
              label={t('customer.ownPolicy')}
              clearable
              disabled={!canCollect}
              value={customer.dunning.policy}
              data={(policies.data?.items ?? []).map((p) => ({ value: p.name, label: p.name }))}
              onChange={(v) => void hold({ policy: v })}
              placeholder={t('customer.companyPolicy')}
            />
            <Select
              label={t('customer.law')}
              clearable
              disabled={!canCollect}
              value={customer.dunning.law}
              data={(['FR', 'DE', 'GB', 'EU'] as const).map((law) => ({
                value: law,
                label: t(`customer.laws.${law}`),
              }))}
              onChange={(v) => void hold({ law: v })}
              placeholder={t('customer.sellerLaw')}
              description={t('customer.lawHelp')}
            />
            <Group align="end">
              <DateField label={t('customer.pausedUntil')} value={paused} onChange={setPaused} disabled={!canCollect} />
              <Button variant="light" disabled={!canCollect} onClick={() => void hold({ pausedUntil: paused || null })}>
                {t('customer.pause')}
              </Button>
            </Group>
            {customer.dunning.blockedReason ? (
              <Group align="end" data-testid="blocked">
                <Text size="sm" c="red.9">
                  {t('customerPage.blocked', { reason: customer.dunning.blockedReason })}
                </Text>
                <Button
                  variant="light"
                  disabled={!canCollect}
                  onClick={() => void hold({ blockedReason: null })}
                  data-testid="unblock"
                >
                  {t('customer.unblock')}
                </Button>
              </Group>
            ) : (
              <Group align="end">
                <TextInput
                  label={t('customer.blockedReason')}
                  value={blocked}
                  onChange={(e) => setBlocked(e.currentTarget.value)}
                  disabled={!canCollect}
                />
                <Button
                  variant="light"
                  color="red"
                  disabled={!canCollect || !blocked.trim()}
                  onClick={() => void hold({ blockedReason: blocked.trim() })}
                  data-testid="block"
                >
                  {t('customer.block')}
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <CustomerActivities customerId={customer.id} canEdit={canCollect} />
        <CustomerProgramme customer={customer} />
      </SimpleGrid>
      <CustomerReplies customerId={customer.id} />
      <CustomerFiles customerId={customer.id} />
      <CustomerPortal customerId={customer.id} canEdit={canCollect} />
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('customer.openItems')} · {money(total)}
        </Title>
        <QueryState query={open}>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState>{t('customer.noOpen')}</EmptyState>
            ) : (
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('invoices.number')}</Table.Th>
                    <Table.Th>{t('invoices.dueDate')}</Table.Th>
                    <Table.Th ta="right">{t('invoices.inclTax')}</Table.Th>
                    <Table.Th ta="right">{t('invoices.balance')}</Table.Th>
                    <Table.Th>{t('invoices.late')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((i) => (
                    <Table.Tr key={i.id} data-number={i.number}>
                      <Table.Td>
                        <Link to={`/invoices/${i.id}`}>{i.number}</Link>
                      </Table.Td>
                      <Table.Td>{date(i.dueDate)}</Table.Td>
                      <Table.Td ta="right">{money(i.total, i.currency)}</Table.Td>
                      <Table.Td ta="right">{money(i.balance, i.currency)}</Table.Td>
                      <Table.Td>
                        {i.daysOverdue > 0 ? t('invoices.daysLate', { count: i.daysOverdue }) : t('invoices.notDue')}
                        {i.disputeReason && (
                          <Badge ml="xs" color="orange" variant="light" title={i.disputeReason} data-testid="disputed">
                            {t('customerPage.disputed')}
                          </Badge>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryState>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('customer.history')}
        </Title>
        <QueryState query={history}>
          {(h) =>
            h.items.length === 0 ? (
              <EmptyState>{t('invoice.noReminder')}</EmptyState>
            ) : (
              <Table>
                <Table.Tbody>
                  {h.items.map((r, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{date(r.sentOn)}</Table.Td>
                      <Table.Td>{r.invoice}</Table.Td>
                      <Table.Td>{levelLabel(r.level)}</Table.Td>
                      <Table.Td>{channelName(r.channel)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryState>
      </Card>
    </Stack>
  );
}
