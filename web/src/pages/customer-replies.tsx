import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import { EmptyState } from '../components/states.tsx';
import { dateTime } from '../format.ts';
import { useCanCollect } from '../session.tsx';

export type CustomerReply = {
  id: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  subject: string;
  from: string;
  text: string;
  autoReply: boolean;
  autoReason: string | null;
  receivedAt: string;
  readAt: string | null;
  attachments: { position: number; filename: string; contentType: string; size: number }[];
};

function useMarkRead() {
  const client = useQueryClient();
  return async (id: string, read: boolean) => {
    await api('POST', `/api/v1/replies/${id}/read`, { read });
    await Promise.all([
      client.invalidateQueries({ queryKey: ['replies'] }),
      client.invalidateQueries({ queryKey: ['plan'] }),
      client.invalidateQueries({ queryKey: ['customer-answers'] }),
    ]);
  };
}

function ReplyItem({ reply, canRead }: { reply: CustomerReply; canRead: boolean }) {
  const { t } = useTranslation();
  const markRead = useMarkRead();
  const unread = !reply.autoReply && reply.readAt === null;
  return (
    <Card withBorder padding="sm" data-testid="customer-reply" data-unread={unread ? 'true' : 'false'}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text fw={unread ? 700 : 500}>{reply.subject || t('replies.noSubject')}</Text>
          <Text size="xs" c="dimmed">
            {t('replies.fromOn', { from: reply.from, at: dateTime(reply.receivedAt) })}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          {reply.autoReply ? (
            <Badge color="gray">{t(`replies.auto.${reply.autoReason ?? 'subject'}`)}</Badge>
          ) : unread ? (
            <Badge color="orange">{t('replies.unread')}</Badge>
          ) : null}
          {canRead && !reply.autoReply && (
            <Button size="xs" variant="default" onClick={() => void markRead(reply.id, unread)}>
              {unread ? t('replies.markRead') : t('replies.markUnread')}
            </Button>
          )}
        </Group>
      </Group>
      {/* Always plain text: an HTML answer was turned into text on arrival and is never rendered. */}
      <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={12}>
        {reply.text}
      </Text>
      {reply.attachments.length > 0 && (
        <Group gap="xs" mt="xs">
          {reply.attachments.map((a) => (
            <Anchor
              key={a.position}
              size="sm"
              href={`/api/v1/replies/${reply.id}/attachments/${a.position}`}
              download={a.filename}
            >
              {a.filename}
            </Anchor>
          ))}
        </Group>
      )}
    </Card>
  );
}

/** The customer's answers to its reminders, newest first; the unread ones stand out and can be marked read. */
export function CustomerReplies({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const canRead = useCanCollect();
  const replies = useQuery({
    queryKey: ['replies', 'customer', customerId],
    queryFn: () => get<{ items: CustomerReply[] }>(`/api/v1/customers/${customerId}/replies`),
  });
  const items = replies.data?.items ?? [];
  return (
    <Card withBorder data-testid="customer-replies">
      <Title order={2} size="h4" mb="xs">
        {t('replies.title')}
      </Title>
      {items.length === 0 ? (
        <EmptyState>{t('replies.none')}</EmptyState>
      ) : (
        <Stack gap="xs">
          {items.map((reply) => (
            <ReplyItem key={reply.id} reply={reply} canRead={canRead} />
          ))}
        </Stack>
      )}
    </Card>
  );
}
