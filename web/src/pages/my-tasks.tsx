import { Anchor, Card, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, get } from '../api/client.ts';
import { date, localToday } from '../format.ts';
import type { Activity } from './customer-activities.tsx';

type Task = Activity & { customerCode: string; customerName: string };

/** The tasks assigned to the person logged in, soonest first; the late ones stand out. Hidden when there are none. */
export function MyTasks() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const tasks = useQuery({ queryKey: ['tasks', 'mine'], queryFn: () => get<{ items: Task[] }>('/api/v1/tasks/mine') });
  const items = tasks.data?.items ?? [];
  if (items.length === 0) return null;
  const today = localToday();
  const done = async (id: string) => {
    await api('PUT', `/api/v1/tasks/${id}/done`, { done: true });
    await client.invalidateQueries({ queryKey: ['tasks'] });
  };
  return (
    <Card withBorder data-testid="my-tasks">
      <Title order={2} size="h4" mb="sm">
        {t('tasks.mine', { count: items.length })}
      </Title>
      <Stack gap={6}>
        {items.map((task) => (
          <Group key={task.id} gap="xs" wrap="nowrap" align="flex-start">
            <Checkbox mt={2} aria-label={t('customerPage.markDone')} onChange={() => void done(task.id)} />
            <div>
              <Text size="sm">{task.body}</Text>
              <Text size="xs" c={task.dueOn !== null && task.dueOn < today ? 'red.9' : 'dimmed'}>
                {date(task.dueOn)} ·{' '}
                <Anchor component={Link} to={`/customers/${task.customerId}`} size="xs">
                  {task.customerName} ({task.customerCode})
                </Anchor>
              </Text>
            </div>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
