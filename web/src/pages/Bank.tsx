import { Alert, Badge, Button, Group, Modal, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get } from '../api/client.ts';
import type { BankLine, BankReport } from '../api/types.ts';
import { EmptyState, ErrorState, QueryState } from '../components/states.tsx';
import { date, money } from '../format.ts';
import { useCanCollect, useIsAdmin } from '../session.tsx';
import { BankMatcher } from './bank-matcher.tsx';
import { FileDrop } from './file-drop.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { issueFieldText, issueReasonText } from '../components/issue-text.ts';
import { errorText } from '../api/error-text.ts';

const STATUSES = ['unmatched', 'matched', 'ignored'] as const;
type Status = (typeof STATUSES)[number];
/** Why a line is unmatched or unreadable, from the catalogue key the server sends; as written only without one. */
function useReason(): (said: { reason?: string; code?: string; params?: Record<string, string | number> }) => string {
  const { t, i18n } = useTranslation();
  return (said) =>
    issueReasonText({ field: '', reason: said.reason ?? '', code: said.code, params: said.params }, t, i18n);
}
const OUTCOME_COLORS: Record<string, string> = {
  matched: 'green',
  unmatched: 'orange',
  ignored: 'gray',
  returned: 'red',
  already_imported: 'gray',
};

/** Uploading a statement: the automatic matching's report, and a second try without unreadable lines when the bank's file has some. */
function StatementUpload() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const reason = useReason();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<BankReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (chosen: File, skipInvalid: boolean) => {
    setFile(chosen);
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const form = new FormData();
      form.append('file', chosen);
      setReport(await api<BankReport>('POST', `/api/v1/integrations/bank-statements?skipInvalid=${skipInvalid}`, form));
      await client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const unreadable = error instanceof ApiError && error.status === 422 && (error.errors ?? []).length > 0;
  return (
    <Stack>
      <Title order={4}>{t('bank.uploadTitle')}</Title>
      <FileDrop
        accept={['.xml', '.csv', '.txt']}
        description={t('bank.formats')}
        disabled={busy}
        onFiles={([f]) => void upload(f!, false)}
        testId="bank-drop"
      />
      {busy && (
        <Text size="sm" c="dimmed">
          {t('common.loading')} {file?.name}
        </Text>
      )}
      {error !== null && <ErrorState error={error} />}
      {unreadable && file && (
        <Group>
          <Button color="orange" loading={busy} onClick={() => void upload(file, true)}>
            {t('bank.skipInvalid')}
          </Button>
        </Group>
      )}
      {report && (
        <Stack data-testid="bank-report" gap="xs">
          <Alert color={report.unmatched > 0 || report.skipped.length > 0 ? 'orange' : 'green'}>
            {t('bank.report', {
              file: report.file,
              format: report.format,
              lines: t('counts.creditRead', { count: report.lines }),
              matched: t('counts.matched', { count: report.matched }),
              unmatched: report.unmatched,
              ignored: t('counts.ignored', { count: report.ignored }),
              already: t('counts.alreadyImported', { count: report.alreadyImported }),
            })}
          </Alert>
          {report.outcomes.length > 0 && (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('bank.date')}</Table.Th>
                  <Table.Th ta="right">{t('bank.amount')}</Table.Th>
                  <Table.Th>{t('bank.counterparty')}</Table.Th>
                  <Table.Th>{t('bank.reference')}</Table.Th>
                  <Table.Th>{t('bank.outcome')}</Table.Th>
                  <Table.Th>{t('bank.reason')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.outcomes.map((o, n) => (
                  <Table.Tr key={n} data-status={o.status}>
                    <Table.Td>{date(o.date)}</Table.Td>
                    <Table.Td ta="right">{money(o.amount, o.currency)}</Table.Td>
                    <Table.Td>{o.counterparty ?? '—'}</Table.Td>
                    <Table.Td>{o.reference ?? '—'}</Table.Td>
                    <Table.Td>
                      <Badge color={OUTCOME_COLORS[o.status] ?? 'gray'} style={{ minWidth: 'max-content' }}>
                        {t(`bank.statuses.${o.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {o.invoices?.length
                        ? `${o.invoices.join(', ')}${o.rule ? ` (${t(`bank.rules.${o.rule}`)})` : ''}`
                        : reason(o)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {report.skipped.length > 0 && (
            <>
              <Text fw={600}>{t('bank.skipped', { count: report.skipped.length })}</Text>
              <Table striped data-testid="bank-skipped">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('bank.where')}</Table.Th>
                    <Table.Th>{t('bank.field')}</Table.Th>
                    <Table.Th>{t('bank.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.skipped.map((s, n) => (
                    <Table.Tr key={n}>
                      <Table.Td>{s.line ?? '—'}</Table.Td>
                      <Table.Td>{issueFieldText(s.field, t, i18n)}</Table.Td>
                      <Table.Td>{reason(s)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      )}
    </Stack>
  );
}

function LineList({ status, canAct }: { status: Status; canAct: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [matching, setMatching] = useState<BankLine | null>(null);
  const query = useQuery({
    queryKey: ['bank-lines', status],
    queryFn: () => get<{ items: BankLine[] }>('/api/v1/bank-lines', { status }),
  });

  const ignore = (line: BankLine) =>
    modals.openConfirmModal({
      title: t('bank.ignoreTitle'),
      children: (
        <Text size="sm">
          {t('bank.ignoreConfirm', { amount: money(line.amount, line.currency), date: date(line.bookingDate) })}
        </Text>
      ),
      labels: { confirm: t('bank.ignore'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        try {
          await api('POST', `/api/v1/bank-lines/${line.id}/ignore`);
          notifications.show({ color: 'green', message: t('bank.ignoredDone') });
        } catch (e) {
          notifications.show({ color: 'red', message: errorText(e) });
        }
        await client.invalidateQueries({ queryKey: ['bank-lines'] });
      },
    });
  if (query.isError && query.error instanceof ApiError && query.error.status === 403)
    return <Alert color="gray">{t('bank.readOnly')}</Alert>;
  return (
    <>
      <QueryState query={query}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState>{t(`bank.empty.${status}`)}</EmptyState>
          ) : (
            <Table striped highlightOnHover data-testid={`bank-lines-${status}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('bank.date')}</Table.Th>
                  <Table.Th ta="right">{t('bank.amount')}</Table.Th>
                  <Table.Th>{t('bank.counterparty')}</Table.Th>
                  <Table.Th>{t('bank.reference')}</Table.Th>
                  <Table.Th>{t('bank.file')}</Table.Th>
                  {status === 'matched' && <Table.Th>{t('bank.settled')}</Table.Th>}
                  {canAct && status === 'unmatched' && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((line) => (
                  <Table.Tr key={line.id} data-line={line.id}>
                    <Table.Td>{date(line.bookingDate)}</Table.Td>
                    <Table.Td ta="right" data-field="amount">
                      {money(line.amount, line.currency)}
                    </Table.Td>
                    <Table.Td>{line.counterparty ?? '—'}</Table.Td>
                    <Table.Td>{line.reference ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {line.fileName}
                      </Text>
                    </Table.Td>
                    {status === 'matched' && (
                      <Table.Td data-field="invoices">{line.invoices.join(', ') || '—'}</Table.Td>
                    )}
                    {canAct && status === 'unmatched' && (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap" justify="flex-end">
                          <Button size="xs" onClick={() => setMatching(line)}>
                            {t('bank.match')}
                          </Button>
                          <Button size="xs" variant="subtle" color="gray" onClick={() => ignore(line)}>
                            {t('bank.ignore')}
                          </Button>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      <Modal
        opened={matching !== null}
        onClose={() => setMatching(null)}
        size="xl"
        title={
          matching &&
          t('bank.matchTitle', { amount: money(matching.amount, matching.currency), date: date(matching.bookingDate) })
        }
      >
        {matching && <BankMatcher key={matching.id} line={matching} onDone={() => setMatching(null)} />}
      </Modal>
    </>
  );
}

/**
 * Bank statements: the upload with the automatic matching's report, and the credits no rule could match
 * for a person to settle against invoices or set aside. Viewers see; the API refuses them the actions.
 */
export default function Bank() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const canCollect = useCanCollect();
  const [tab, setTab] = useState<Status>('unmatched');
  const counts = useQuery({
    queryKey: ['bank-lines', 'unmatched'],
    queryFn: () => get<{ items: BankLine[] }>('/api/v1/bank-lines', { status: 'unmatched' }),
  });
  return (
    <Stack maw={1200}>
      <PageHeading title={t('bank.title')} />
      {isAdmin ? (
        <StatementUpload />
      ) : (
        canCollect && (
          <Text size="sm" c="dimmed">
            {t('bank.adminUpload')}
          </Text>
        )
      )}
      <Tabs value={tab} onChange={(v) => v && setTab(v as Status)} keepMounted={false}>
        <Tabs.List>
          {STATUSES.map((s) => (
            <Tabs.Tab key={s} value={s}>
              {t(`bank.tabs.${s}`)}
              {s === 'unmatched' && counts.data ? ` (${counts.data.items.length})` : ''}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {STATUSES.map((s) => (
          <Tabs.Panel key={s} value={s} pt="md">
            <LineList status={s} canAct={canCollect} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
