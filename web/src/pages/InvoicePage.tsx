import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../components/date-field.tsx';
import { Link, useNavigate, useParams } from 'react-router';
import { api, download, get } from '../api/client.ts';
import type { CustomerDetail, InvoiceDetail, Plan } from '../api/types.ts';
import { useChannelName, useStepLabel } from '../components/step-label.ts';
import { EmptyState, QueryState } from '../components/states.tsx';
import { amountInput, date, localToday, money, parseAmount } from '../format.ts';
import { useCanCollect } from '../session.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { InvoiceSchedule } from './invoice-schedule.tsx';
import { errorText } from '../api/error-text.ts';

const METHODS = ['transfer', 'cheque', 'card', 'direct_debit', 'cash', 'other'] as const;

export default function InvoicePage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['invoice', id], queryFn: () => get<InvoiceDetail>(`/api/v1/invoices/${id}`) });
  return <QueryState query={query}>{(invoice) => <Invoice invoice={invoice} />}</QueryState>;
}

function Invoice({ invoice }: { invoice: InvoiceDetail }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const canCollect = useCanCollect();
  const plan = useQuery({
    queryKey: ['plan', invoice.customerCode],
    queryFn: () => get<Plan>('/api/v1/plan', { customer: invoice.customerCode }),
  });
  const next = plan.data?.items.find((i) => i.invoice === invoice.number);
  // A reminder's level is named by the step of the customer's policy ("1ère relance"), never by its number.
  const customer = useQuery({
    queryKey: ['customer', invoice.customerId],
    queryFn: () => get<CustomerDetail>(`/api/v1/customers/${invoice.customerId}`),
  });
  const levelLabel = useStepLabel(customer.data?.dunning.policy, customer.isSuccess);
  const channelName = useChannelName();
  const [reason, setReason] = useState(invoice.disputeReason ?? '');
  const [promise, setPromise] = useState(invoice.promiseToPayDate ?? '');
  const [amount, setAmount] = useState(amountInput(invoice.balance, invoice.currency));
  // After a payment the form offers what is left, not the balance it was opened with.
  useEffect(() => setAmount(amountInput(invoice.balance, invoice.currency)), [invoice.balance, invoice.currency]);
  const [payDate, setPayDate] = useState(localToday);
  const [method, setMethod] = useState<string>('transfer');
  const money_ = (cents: number | null) => money(cents, invoice.currency);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      await client.invalidateQueries();
      notifications.show({ color: 'green', message: done });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const pay = () => {
    const cents = parseAmount(amount, invoice.currency);
    if (cents === null || cents <= 0) return notifications.show({ color: 'red', message: t('invoice.badAmount') });
    return act(
      () =>
        api('POST', '/api/v1/payments', {
          customerId: invoice.customerId,
          date: payDate,
          currency: invoice.currency,
          amount: cents,
          method,
          allocations: [{ invoiceId: invoice.id, amount: cents }],
        }),
      t('invoice.paymentRecorded'),
    );
  };

  return (
    <Stack>
      <Group justify="space-between">
        <PageHeading title={t('invoice.title', { number: invoice.number })} />
        <Group>
          {invoice.disputeReason && (
            <Badge color="orange" data-testid="badge-disputed">
              {t('invoices.disputed')}
            </Badge>
          )}
          {invoice.balance <= 0 && (
            <Badge color="green" data-testid="badge-paid">
              {t('invoices.paid')}
            </Badge>
          )}
          <Button
            variant="default"
            onClick={() => void download('GET', `/api/v1/invoices/${invoice.id}/copy`, `facture-${invoice.number}.pdf`)}
          >
            {t('invoice.pdf')}
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('invoices.customer')}
          </Text>
          <Link to={`/customers/${invoice.customerId}`}>
            {invoice.customerName} ({invoice.customerCode})
          </Link>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('invoices.issueDate')} / {t('invoices.dueDate')}
          </Text>
          <Text>
            {date(invoice.issueDate)} · {date(invoice.dueDate)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('invoices.exclTax')} / {t('invoices.inclTax')}
          </Text>
          <Text>
            {money_(invoice.totalExclTax)} · {money_(invoice.total)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('invoices.balance')}
          </Text>
          <Text fw={700} c={invoice.daysOverdue > 0 ? 'red' : undefined}>
            {money_(invoice.balance)}
            {invoice.daysOverdue > 0 && ` · ${t('invoices.daysLate', { count: invoice.daysOverdue })}`}
          </Text>
        </Card>
      </SimpleGrid>
      <InvoiceSchedule invoice={invoice} />

      <Card withBorder data-testid="reminder-block">
        <Group justify="space-between" mb="xs">
          <Title order={4}>{t('invoice.reminders')}</Title>
          {canCollect && invoice.balance > 0 && !invoice.disputeReason && (
            <Button onClick={() => navigate(`/compose?customer=${invoice.customerId}&invoices=${invoice.id}`)}>
              {t('invoice.createReminder')}
            </Button>
          )}
        </Group>
        {next ? (
          <Alert
            variant="light"
            mb="sm"
            color={next.action === 'skip' ? 'orange' : undefined}
            data-testid="next-step"
            data-action={next.action}
            data-reason={next.reasonCode ?? undefined}
          >
            {next.action === 'send'
              ? t('invoice.nextNow', { label: next.label })
              : next.reasonCode && i18n.exists(`invoice.held.${next.reasonCode}`)
                ? t(`invoice.held.${next.reasonCode}`, {
                    label: next.label,
                    date: date(next.eligibleOn),
                    reason: invoice.disputeReason ?? '',
                  })
                : next.eligibleOn
                  ? t('invoice.nextOn', { label: next.label, date: date(next.eligibleOn) })
                  : next.reasonCode && i18n.exists(`plan.reason.${next.reasonCode}`, { ns: 'messages' })
                    ? t(`plan.reason.${next.reasonCode}`, { ns: 'messages' })
                    : t('invoice.noNext')}
          </Alert>
        ) : (
          plan.isSuccess &&
          invoice.balance <= 0 && (
            <Alert variant="light" color="green" mb="sm" data-testid="next-step" data-action="none">
              {t('invoice.settled')}
            </Alert>
          )
        )}
        {invoice.reminders.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('invoice.noReminder')}
          </Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('invoice.level')}</Table.Th>
                <Table.Th>{t('invoice.sentOn')}</Table.Th>
                <Table.Th>{t('invoice.channel')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody data-testid="reminder-history">
              {invoice.reminders.map((r, i) => (
                <Table.Tr key={i} data-level={r.level}>
                  <Table.Td>{levelLabel(r.level)}</Table.Td>
                  <Table.Td>{date(r.sentOn)}</Table.Td>
                  <Table.Td>{channelName(r.channel)}</Table.Td>
                  <Table.Td>
                    {r.communicationId && (
                      // The letter of a reminder already sent, printed again as it was (its level, its date).
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        data-testid="reminder-letter"
                        onClick={() =>
                          void download(
                            'GET',
                            `/api/v1/communications/${r.communicationId}/letter`,
                            'relance.pdf',
                          ).catch((error: unknown) =>
                            notifications.show({
                              color: 'red',
                              message: errorText(error),
                            }),
                          )
                        }
                      >
                        {t('invoice.reminderLetter')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <Card withBorder>
        <Title order={4} mb="xs">
          {t('invoice.received')}
        </Title>
        {invoice.allocations.length === 0 ? (
          <EmptyState>{t('invoice.nothingReceived')}</EmptyState>
        ) : (
          <Table>
            <Table.Tbody>
              {invoice.allocations.map((a, i) => (
                <Table.Tr key={i}>
                  <Table.Td data-field="allocation-date">{date(a.date)}</Table.Td>
                  <Table.Td>{a.kind === 'payment' ? t('invoice.payment') : t('invoice.creditNote')}</Table.Td>
                  <Table.Td>{a.label}</Table.Td>
                  <Table.Td ta="right">{money_(a.amount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      {canCollect && (
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Card withBorder>
            <Title order={5} mb="xs">
              {t('invoice.dispute')}
            </Title>
            <TextInput
              label={t('invoice.disputeReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Group mt="sm">
              <Button
                disabled={!reason}
                onClick={() =>
                  act(() => api('PUT', `/api/v1/invoices/${invoice.id}/dispute`, { reason }), t('invoice.disputed'))
                }
              >
                {t('invoice.markDisputed')}
              </Button>
              {invoice.disputeReason && (
                <Button
                  variant="default"
                  onClick={() =>
                    act(
                      () => api('PUT', `/api/v1/invoices/${invoice.id}/dispute`, { reason: null }),
                      t('invoice.disputeCleared'),
                    )
                  }
                >
                  {t('invoice.clear')}
                </Button>
              )}
            </Group>
          </Card>
          <Card withBorder>
            <Title order={5} mb="xs">
              {t('invoice.promise')}
            </Title>
            <DateField label={t('invoice.promiseDate')} value={promise} onChange={setPromise} />
            <Group mt="sm">
              <Button
                disabled={!promise}
                onClick={() =>
                  act(
                    () => api('PUT', `/api/v1/invoices/${invoice.id}/promise`, { date: promise }),
                    t('invoice.promiseRecorded'),
                  )
                }
              >
                {t('invoice.recordPromise')}
              </Button>
              {invoice.promiseToPayDate && (
                <Button
                  variant="default"
                  onClick={() =>
                    act(
                      () => api('PUT', `/api/v1/invoices/${invoice.id}/promise`, { date: null }),
                      t('invoice.promiseCleared'),
                    )
                  }
                >
                  {t('invoice.clear')}
                </Button>
              )}
            </Group>
          </Card>
          <Card withBorder>
            <Title order={5} mb="xs">
              {t('invoice.recordPayment')}
            </Title>
            <Group grow>
              <TextInput
                label={t('invoice.amount')}
                value={amount}
                onChange={(e) => setAmount(e.currentTarget.value)}
              />
              <DateField label={t('invoice.date')} value={payDate} onChange={setPayDate} />
            </Group>
            <Select
              label={t('invoice.method')}
              value={method}
              allowDeselect={false}
              onChange={(v) => v && setMethod(v)}
              data={METHODS.map((m) => ({ value: m, label: t(`invoice.methods.${m}`) }))}
            />
            <Button mt="sm" disabled={invoice.balance <= 0} onClick={() => void pay()}>
              {t('invoice.recordPayment')}
            </Button>
          </Card>
        </SimpleGrid>
      )}
    </Stack>
  );
}
