import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, get } from '../api/client.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { EmptyState, QueryState } from '../components/states.tsx';
import { date, money } from '../format.ts';
import { useIsAdmin } from '../session.tsx';
import { SepaMandates, type Mandate } from './sepa-mandates.tsx';
import { errorText } from '../api/error-text.ts';

export type SepaView = {
  creditorId: string | null;
  companyIban: string | null;
  mandates: Mandate[];
  batches: { messageId: string; collectionDate: string; debits: number; total: number; pending: number }[];
  pending: {
    messageId: string;
    collectionDate: string;
    invoiceId: string;
    invoice: string;
    customer: string;
    customerName: string;
    amount: number;
    sequenceType: 'FRST' | 'RCUR';
  }[];
};
type Batch = { messageId: string; collectionDate: string; total: number; debits: unknown[] };

const fileOf = (messageId: string) =>
  void download('GET', `/api/v1/sepa/batches/${encodeURIComponent(messageId)}/file`, `${messageId}.xml`);

/**
 * Prélèvements SEPA: the creditor identifier, the customers' mandates, a pain.008 file made for a collection date
 * (downloaded at once, and again later from the list of files), and the debits still waiting for the bank.
 */
export default function Sepa() {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['sepa'], queryFn: () => get<SepaView>('/api/v1/sepa') });
  const [creditorId, setCreditorId] = useState('');
  const [collectionDate, setCollectionDate] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setCreditorId(query.data?.creditorId ?? ''), [query.data?.creditorId]);
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      const message = await work();
      await client.invalidateQueries();
      notifications.show({ color: 'green', message });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  const saveCreditor = () =>
    run(async () => {
      await api('PUT', '/api/v1/sepa/creditor-id', { creditorId });
      return t('sepa.creditorSaved');
    });
  const makeFile = () =>
    run(async () => {
      const batch = await api<Batch>('POST', '/api/v1/sepa/debits', { collectionDate });
      fileOf(batch.messageId);
      return t('sepa.made', { id: batch.messageId, count: batch.debits.length, total: money(batch.total, 'EUR') });
    });
  return (
    <Stack>
      <PageHeading title={t('sepa.title')} />
      <QueryState query={query}>
        {(view) => (
          <Stack>
            <Paper withBorder p="sm">
              <Group align="end">
                <TextInput
                  label={t('sepa.creditorId')}
                  value={creditorId}
                  disabled={!admin}
                  onChange={(e) => setCreditorId(e.currentTarget.value)}
                  w={260}
                />
                {admin && (
                  <Button variant="default" onClick={() => void saveCreditor()} disabled={!creditorId.trim()}>
                    {t('common.save')}
                  </Button>
                )}
              </Group>
              <Text size="sm" mt="xs">
                {view.companyIban ? t('sepa.companyIban', { iban: view.companyIban }) : t('sepa.noIban')}
              </Text>
            </Paper>
            <SepaMandates mandates={view.mandates} />
            {admin && (
              <Paper withBorder p="sm">
                <Title order={2} size="h4">
                  {t('sepa.debit')}
                </Title>
                <Text size="sm" c="dimmed" mb="xs">
                  {t('sepa.debitHint')}
                </Text>
                {!view.creditorId && (
                  <Alert color="yellow" mb="xs">
                    {t('sepa.noCreditor')}
                  </Alert>
                )}
                <Group align="end">
                  <TextInput
                    label={t('sepa.collectionDate')}
                    type="date"
                    value={collectionDate}
                    onChange={(e) => setCollectionDate(e.currentTarget.value)}
                  />
                  <Button
                    disabled={!collectionDate}
                    loading={busy}
                    onClick={() => void makeFile()}
                    data-testid="sepa-make"
                  >
                    {t('sepa.make')}
                  </Button>
                </Group>
              </Paper>
            )}
            <Title order={2} size="h4">
              {t('sepa.files')}
            </Title>
            {view.batches.length === 0 ? (
              <EmptyState>{t('sepa.noFiles')}</EmptyState>
            ) : (
              <Table striped data-testid="sepa-files">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('sepa.file')}</Table.Th>
                    <Table.Th>{t('sepa.collection')}</Table.Th>
                    <Table.Th ta="right">{t('sepa.debits')}</Table.Th>
                    <Table.Th ta="right">{t('sepa.total')}</Table.Th>
                    <Table.Th ta="right">{t('sepa.pendingCount')}</Table.Th>
                    {admin && <Table.Th>{t('sepa.download')}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {view.batches.map((b) => (
                    <Table.Tr key={b.messageId} data-batch={b.messageId}>
                      <Table.Td>{b.messageId}</Table.Td>
                      <Table.Td>{date(b.collectionDate)}</Table.Td>
                      <Table.Td ta="right">{b.debits}</Table.Td>
                      <Table.Td ta="right">{money(b.total, 'EUR')}</Table.Td>
                      <Table.Td ta="right">{b.pending}</Table.Td>
                      {admin && (
                        <Table.Td>
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={t('sepa.downloadOf', { id: b.messageId })}
                            onClick={() => fileOf(b.messageId)}
                          >
                            {t('sepa.download')}
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Title order={2} size="h4">
              {t('sepa.pending')}
            </Title>
            {view.pending.length === 0 ? (
              <EmptyState>{t('sepa.noPending')}</EmptyState>
            ) : (
              <Table striped data-testid="sepa-pending">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('sepa.collection')}</Table.Th>
                    <Table.Th>{t('sepa.invoice')}</Table.Th>
                    <Table.Th>{t('sepa.customer')}</Table.Th>
                    <Table.Th>{t('sepa.sequence')}</Table.Th>
                    <Table.Th ta="right">{t('sepa.amount')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {view.pending.map((p) => (
                    <Table.Tr key={`${p.messageId}-${p.invoiceId}`}>
                      <Table.Td>{date(p.collectionDate)}</Table.Td>
                      <Table.Td>{p.invoice}</Table.Td>
                      <Table.Td>
                        {p.customerName}{' '}
                        <Text span size="xs" c="dimmed">
                          {p.customer}
                        </Text>
                      </Table.Td>
                      <Table.Td>{t(`sepa.sequences.${p.sequenceType}`)}</Table.Td>
                      <Table.Td ta="right">{money(p.amount, 'EUR')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
