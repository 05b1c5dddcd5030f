import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../components/date-field.tsx';
import { api, get } from '../api/client.ts';
import { EmptyState, QueryState } from '../components/states.tsx';
import { date, dateTime } from '../format.ts';
import { useSession } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

export type Activity = {
  id: string;
  customerId: string;
  kind: 'note' | 'call' | 'task';
  body: string;
  dueOn: string | null;
  assignedTo: string | null;
  assignedEmail: string | null;
  doneAt: string | null;
  createdByEmail: string | null;
  createdAt: string;
};
type Kind = Activity['kind'];

/** Notes, the call log and tasks of a customer: a task ("rappeler le 12/01") goes to its assignee's dashboard. */
export function CustomerActivities({ customerId, canEdit }: { customerId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['activities', customerId],
    queryFn: () => get<{ items: Activity[] }>(`/api/v1/customers/${customerId}/activities`),
  });
  const people = useQuery({
    queryKey: ['assignees'],
    queryFn: () => get<{ items: { id: string; email: string }[] }>('/api/v1/assignees'),
    enabled: canEdit,
  });
  const [kind, setKind] = useState<Kind>('note');
  const [body, setBody] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [assignee, setAssignee] = useState<string | null>(session.user.id);

  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['activities', customerId] }),
      client.invalidateQueries({ queryKey: ['tasks'] }),
    ]);
  const add = async () => {
    try {
      await api('POST', `/api/v1/customers/${customerId}/activities`, {
        kind,
        body,
        dueOn: kind === 'task' ? dueOn || null : null,
        assignedTo: kind === 'task' ? assignee : null,
      });
      setBody('');
      setDueOn('');
      await refresh();
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const done = async (a: Activity, value: boolean) => {
    await api('PUT', `/api/v1/tasks/${a.id}/done`, { done: value }).catch((error: unknown) =>
      notifications.show({ color: 'red', message: errorText(error) }),
    );
    await refresh();
  };
  return (
    <Card withBorder data-testid="activities">
      <Title order={2} size="h4" mb="xs">
        {t('customerPage.activities')}
      </Title>
      {canEdit && (
        <Stack gap="xs" mb="sm">
          <SegmentedControl
            w="fit-content"
            size="xs"
            value={kind}
            onChange={(v) => setKind(v as Kind)}
            aria-label={t('customerPage.kind')}
            data={(['note', 'call', 'task'] as const).map((k) => ({ value: k, label: t(`customerPage.kinds.${k}`) }))}
          />
          <Textarea
            aria-label={t('customerPage.body')}
            placeholder={t(`customerPage.placeholders.${kind}`)}
            autosize
            minRows={2}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            name="activity-body"
          />
          <Group align="end">
            {kind === 'task' && (
              <>
                <DateField label={t('customerPage.dueOn')} value={dueOn} onChange={setDueOn} name="task-due" />
                <Select
                  label={t('customerPage.assignee')}
                  value={assignee}
                  onChange={setAssignee}
                  allowDeselect={false}
                  w={260}
                  data={(people.data?.items ?? []).map((p) => ({ value: p.id, label: p.email }))}
                />
              </>
            )}
            <Button
              onClick={() => void add()}
              disabled={!body.trim() || (kind === 'task' && !dueOn)}
              data-testid="activity-add"
            >
              {t('customerPage.add')}
            </Button>
          </Group>
        </Stack>
      )}
      <QueryState query={list}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState>{t('customerPage.noActivity')}</EmptyState>
          ) : (
            <Stack gap={6}>
              {data.items.map((a) => (
                <Group key={a.id} gap="xs" align="flex-start" wrap="nowrap" data-kind={a.kind}>
                  {a.kind === 'task' ? (
                    <Checkbox
                      mt={2}
                      checked={a.doneAt !== null}
                      disabled={!canEdit}
                      aria-label={t('customerPage.markDone')}
                      onChange={(e) => void done(a, e.currentTarget.checked)}
                    />
                  ) : (
                    <Badge variant="light" size="sm" color={a.kind === 'call' ? 'teal' : 'gray'}>
                      {t(`customerPage.kinds.${a.kind}`)}
                    </Badge>
                  )}
                  <div>
                    <Text size="sm" td={a.doneAt ? 'line-through' : undefined} style={{ whiteSpace: 'pre-wrap' }}>
                      {a.body}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {a.kind === 'task'
                        ? t('customerPage.taskLine', { date: date(a.dueOn), who: a.assignedEmail ?? '—' }) + ' · '
                        : ''}
                      {a.createdByEmail ?? ''} · {dateTime(a.createdAt)}
                    </Text>
                  </div>
                </Group>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Card>
  );
}
