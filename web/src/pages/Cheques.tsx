import { ActionIcon, Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, get } from '../api/client.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { EmptyState, QueryState } from '../components/states.tsx';
import { date, dateTime, localToday, money } from '../format.ts';
import { useSession } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

type Cheque = {
  paymentId: string;
  date: string;
  amount: number;
  currency: string;
  reference: string | null;
  customerCode: string;
  customerName: string;
};
type Slip = {
  id: string;
  number: number;
  depositedOn: string;
  currency: string;
  total: number;
  cheques: number;
  createdBy: string | null;
  createdAt: string;
};

const slipPdf = (s: Slip) =>
  void download('GET', `/api/v1/cheque-remittances/${s.id}/pdf`, `remise-cheques-${s.number}.pdf`);

/**
 * Remises de chèques: the cheques recorded as payments and not yet taken to the bank are chosen and put on a numbered
 * slip (bordereau), printed as a PDF to hand over with them; the slips made stay listed to print again.
 */
export default function Cheques() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const canWrite = useSession().role !== 'viewer';
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [depositedOn, setDepositedOn] = useState(localToday);
  const [busy, setBusy] = useState(false);
  const waiting = useQuery({
    queryKey: ['cheques-waiting'],
    queryFn: () => get<{ items: Cheque[] }>('/api/v1/cheques/waiting'),
  });
  const slips = useQuery({
    queryKey: ['cheque-remittances'],
    queryFn: () => get<{ items: Slip[] }>('/api/v1/cheque-remittances'),
  });
  const items = waiting.data?.items ?? [];
  const picked = items.filter((c) => chosen.has(c.paymentId));
  const total = picked.reduce((s, c) => s + c.amount, 0);
  const toggle = (id: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const make = async () => {
    setBusy(true);
    try {
      const slip = await api<Slip>('POST', '/api/v1/cheque-remittances', {
        paymentIds: picked.map((c) => c.paymentId),
        depositedOn,
      });
      setChosen(new Set());
      await client.invalidateQueries();
      notifications.show({ color: 'green', message: t('cheques.created', { number: slip.number }) });
      slipPdf(slip);
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <PageHeading title={t('cheques.title')} />
      <Title order={2} size="h4">
        {t('cheques.waiting')}
      </Title>
      <QueryState query={waiting}>
        {() =>
          items.length === 0 ? (
            <EmptyState>{t('cheques.noneWaiting')}</EmptyState>
          ) : (
            <Stack gap="xs">
              <Table striped data-testid="cheques-waiting">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>
                      {canWrite && (
                        <Checkbox
                          aria-label={t('cheques.selectAll')}
                          checked={picked.length === items.length}
                          indeterminate={picked.length > 0 && picked.length < items.length}
                          onChange={() =>
                            setChosen(
                              picked.length === items.length ? new Set() : new Set(items.map((c) => c.paymentId)),
                            )
                          }
                        />
                      )}
                    </Table.Th>
                    <Table.Th>{t('payments.date')}</Table.Th>
                    <Table.Th>{t('payments.customer')}</Table.Th>
                    <Table.Th>{t('cheques.chequeNumber')}</Table.Th>
                    <Table.Th ta="right">{t('payments.amount')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr key={c.paymentId} data-cheque={c.reference ?? c.paymentId}>
                      <Table.Td>
                        {canWrite && (
                          <Checkbox
                            aria-label={t('cheques.select', { reference: c.reference ?? '', customer: c.customerName })}
                            checked={chosen.has(c.paymentId)}
                            onChange={() => toggle(c.paymentId)}
                          />
                        )}
                      </Table.Td>
                      <Table.Td>{date(c.date)}</Table.Td>
                      <Table.Td>
                        {c.customerName}{' '}
                        <Text span size="xs" c="dimmed">
                          {c.customerCode}
                        </Text>
                      </Table.Td>
                      <Table.Td>{c.reference}</Table.Td>
                      <Table.Td ta="right">{money(c.amount, c.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {canWrite && (
                <Group align="end">
                  <TextInput
                    label={t('cheques.depositedOn')}
                    type="date"
                    value={depositedOn}
                    onChange={(e) => setDepositedOn(e.currentTarget.value)}
                  />
                  <Button
                    disabled={picked.length === 0 || !depositedOn}
                    loading={busy}
                    onClick={() => void make()}
                    data-testid="make-slip"
                  >
                    {t('cheques.create', {
                      count: picked.length,
                      total: money(total, picked[0]?.currency ?? 'EUR'),
                    })}
                  </Button>
                </Group>
              )}
            </Stack>
          )
        }
      </QueryState>
      <Title order={2} size="h4">
        {t('cheques.slips')}
      </Title>
      <QueryState query={slips}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState>{t('cheques.noSlips')}</EmptyState>
          ) : (
            <Table striped data-testid="cheque-slips">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('cheques.number')}</Table.Th>
                  <Table.Th>{t('cheques.depositedOn')}</Table.Th>
                  <Table.Th ta="right">{t('cheques.count')}</Table.Th>
                  <Table.Th ta="right">{t('cheques.total')}</Table.Th>
                  <Table.Th>{t('cheques.by')}</Table.Th>
                  <Table.Th>{t('cheques.pdf')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((s) => (
                  <Table.Tr key={s.id} data-slip={s.number}>
                    <Table.Td>{s.number}</Table.Td>
                    <Table.Td>{date(s.depositedOn)}</Table.Td>
                    <Table.Td ta="right">{s.cheques}</Table.Td>
                    <Table.Td ta="right">{money(s.total, s.currency)}</Table.Td>
                    <Table.Td>
                      {s.createdBy}{' '}
                      <Text span size="xs" c="dimmed">
                        {dateTime(s.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="default"
                        aria-label={t('cheques.pdfOf', { number: s.number })}
                        onClick={() => slipPdf(s)}
                        w="auto"
                        px="xs"
                      >
                        {t('cheques.pdf')}
                      </ActionIcon>
                    </Table.Td>
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
