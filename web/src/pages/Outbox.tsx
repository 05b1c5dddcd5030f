import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import { outboxErrorText, stoppedText } from '../components/issue-text.ts';
import { EmptyState, QueryState } from '../components/states.tsx';
import { dateTime } from '../format.ts';
import { useCanCollect } from '../session.tsx';
import { OutboxMessage } from './outbox-message.tsx';
import { PageHeading } from '../components/PageHeading.tsx';
import { errorText } from '../api/error-text.ts';

type Message = {
  id: string;
  kind: string;
  status: string;
  to: string[];
  subject: string;
  attempts: number;
  lastError: string | null;
  /** Why it is not sent, as a code of the server's catalogue: said in the reader's language. */
  error: { code: string; params: Record<string, string | number> } | null;
  sentAt: string | null;
  createdAt: string;
  attachments: string[];
};
type Dispatch = {
  sent: number;
  failed: number;
  notSent: number;
  stopped: string | null;
  stoppedReason?: { code: string; params: Record<string, string | number> } | null;
};
const STATUSES = ['all', 'queued', 'sent', 'failed', 'bounced', 'cancelled'] as const;

export default function Outbox() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const canCollect = useCanCollect();
  const [status, setStatus] = useState<string>('all');
  const [opened, setOpened] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['outbox', status],
    queryFn: () =>
      get<{ items: Message[]; counts: Record<string, number> | null }>('/api/v1/outbox', {
        status: status === 'all' ? undefined : status,
        limit: 200,
      }),
  });
  const report = (d: Dispatch) =>
    notifications.show({
      color: d.failed > 0 || d.stopped ? 'orange' : 'green',
      message: [t('outbox.dispatched', { sent: d.sent, failed: d.failed, notSent: d.notSent }), stoppedText(d, t, i18n)]
        .filter(Boolean)
        .join(' '),
    });
  const act = async (fn: () => Promise<Dispatch>) => {
    try {
      report(await fn());
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
    await client.invalidateQueries({ queryKey: ['outbox'] });
  };
  return (
    <Stack>
      <Group justify="space-between">
        <PageHeading title={t('outbox.title')} />
        {canCollect && (
          <Button onClick={() => void act(() => api<Dispatch>('POST', '/api/v1/outbox/dispatch'))}>
            {t('outbox.dispatch')}
          </Button>
        )}
      </Group>
      <OutboxMessage id={opened} onClose={() => setOpened(null)} />
      <SegmentedControl
        w="fit-content"
        value={status}
        onChange={setStatus}
        data={STATUSES.map((s) => ({
          value: s,
          label: `${t(`outbox.statuses.${s}`)}${s !== 'all' && query.data?.counts ? ` (${query.data.counts[s] ?? 0})` : ''}`,
        }))}
      />
      <QueryState query={query}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState>{t('outbox.empty')}</EmptyState>
          ) : (
            <Table striped data-testid="outbox">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('outbox.date')}</Table.Th>
                  <Table.Th>{t('outbox.status')}</Table.Th>
                  <Table.Th>{t('outbox.to')}</Table.Th>
                  <Table.Th>{t('outbox.subject')}</Table.Th>
                  <Table.Th>{t('outbox.error')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{dateTime(m.sentAt ?? m.createdAt)}</Table.Td>
                    <Table.Td>
                      <Badge
                        color={
                          m.status === 'sent'
                            ? 'green'
                            : m.status === 'failed' || m.status === 'bounced'
                              ? 'red'
                              : 'gray'
                        }
                      >
                        {t(`outbox.statuses.${m.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{m.to.join(', ')}</Table.Td>
                    <Table.Td>
                      <Anchor
                        component="button"
                        type="button"
                        ta="left"
                        fz="sm"
                        onClick={() => setOpened(m.id)}
                        data-testid="open-message"
                      >
                        {m.subject}
                      </Anchor>
                      {m.attachments.length > 0 && (
                        <Text size="xs" c="dimmed">
                          {m.attachments.join(', ')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="red.9" data-testid="outbox-error">
                        {outboxErrorText(m, t, i18n)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {canCollect && m.status === 'failed' && (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() =>
                            void act(
                              async () =>
                                (await api<{ dispatch: Dispatch }>('POST', `/api/v1/outbox/${m.id}/retry`)).dispatch,
                            )
                          }
                        >
                          {t('outbox.retry')}
                        </Button>
                      )}
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
