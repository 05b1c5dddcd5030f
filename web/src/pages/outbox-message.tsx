import { Button, Group, Modal, Stack, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { download, get } from '../api/client.ts';
import { HtmlPreview } from '../components/HtmlPreview.tsx';
import { QueryState } from '../components/states.tsx';
import { dateTime } from '../format.ts';

type Detail = {
  id: string;
  subject: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | null;
  attachments: string[];
  communicationId: string | null;
  sentAt: string | null;
  createdAt: string;
  text: string;
  html: string | null;
};

/** One e-mail as the customer received it: headers, the rendered HTML (sandboxed), the text part and the attachments. */
export function OutboxMessage({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['outbox', 'message', id],
    queryFn: () => get<Detail>(`/api/v1/outbox/${id}`),
    enabled: id !== null,
  });
  return (
    <Modal
      opened={id !== null}
      onClose={onClose}
      size="xl"
      title={query.data?.subject ?? t('common.loading')}
      data-testid="outbox-message"
    >
      <QueryState query={query}>
        {(m) => (
          <Stack gap="xs">
            <Text size="sm">
              <b>{t('outbox.to')}</b> : {m.to.join(', ')}
              {m.cc.length > 0 && ` · CC : ${m.cc.join(', ')}`}
              {m.bcc.length > 0 && ` · CCI : ${m.bcc.join(', ')}`}
            </Text>
            <Text size="sm" c="dimmed">
              {dateTime(m.sentAt ?? m.createdAt)}
            </Text>
            <Tabs defaultValue={m.html ? 'html' : 'text'}>
              <Tabs.List>
                {m.html && <Tabs.Tab value="html">HTML</Tabs.Tab>}
                <Tabs.Tab value="text">{t('outboxMessage.text')}</Tabs.Tab>
              </Tabs.List>
              {m.html && (
                <Tabs.Panel value="html" pt="xs">
                  <HtmlPreview html={m.html} title={m.subject} height={420} />
                </Tabs.Panel>
              )}
              <Tabs.Panel value="text" pt="xs">
                <Text component="pre" size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="message-text">
                  {m.text}
                </Text>
              </Tabs.Panel>
            </Tabs>
            <Group gap="xs" data-testid="message-attachments">
              <Text size="sm" fw={600}>
                {t('outboxMessage.attachments')} :
              </Text>
              {m.attachments.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('common.none')}
                </Text>
              ) : (
                m.attachments.map((a) => (
                  <Text key={a} size="sm">
                    {a}
                  </Text>
                ))
              )}
              {m.communicationId && (
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() =>
                    void download('GET', `/api/v1/communications/${m.communicationId}/letter`, 'relance.pdf')
                  }
                >
                  {t('outboxMessage.letter')}
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </QueryState>
    </Modal>
  );
}
