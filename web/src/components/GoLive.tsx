import { Alert, Anchor, Badge, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, get } from '../api/client.ts';
import { useSession } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

type Step = { key: 'admin' | 'identity' | 'smtp' | 'policy' | 'import'; done: boolean; missing: string[] };
type Checklist = { done: boolean; demo: boolean; steps: Step[] };

const WHERE: Record<Step['key'], string> = {
  admin: '/settings/users',
  identity: '/settings/company',
  smtp: '/settings/mail',
  policy: '/settings/policy',
  import: '/import',
};

/** The demo banner with its purge, and the set-up checklist, shown on the dashboard until every step is done. */
export function GoLive() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const session = useSession();
  const query = useQuery({ queryKey: ['setup'], queryFn: () => get<Checklist>('/api/v1/setup') });
  const [busy, setBusy] = useState(false);
  const checklist = query.data;
  if (!checklist || (checklist.done && !checklist.demo)) return null;
  const admin = session.role === 'admin';
  const purge = async () => {
    if (!window.confirm(t('goLive.purgeConfirm'))) return;
    setBusy(true);
    try {
      client.setQueryData(['setup'], await api<Checklist>('POST', '/api/v1/demo/purge'));
      await client.invalidateQueries();
      notifications.show({ color: 'green', message: t('goLive.purged') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      {checklist.demo && (
        <Alert color="yellow" title={t('goLive.demoBanner')} data-testid="demo-banner">
          {admin && (
            <Button mt="xs" size="xs" color="red" variant="light" loading={busy} onClick={purge}>
              {t('goLive.purge')}
            </Button>
          )}
        </Alert>
      )}
      {!checklist.done && (
        <Card withBorder data-testid="setup-checklist">
          <Title order={4}>{t('goLive.checklistTitle')}</Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('goLive.checklistIntro')}
          </Text>
          <List spacing={4}>
            {checklist.steps.map((step) => (
              <List.Item key={step.key}>
                <Group gap="xs">
                  <Badge color={step.done ? 'green' : 'gray'} variant="light">
                    {step.done ? t('goLive.stepDone') : t('goLive.stepTodo')}
                  </Badge>
                  <Text size="sm">{t(`goLive.steps.${step.key}`)}</Text>
                  {!step.done && step.missing.length > 0 && (
                    <Text size="xs" c="dimmed">
                      ({step.missing.map((m) => t(`goLive.missing.${m}`, { defaultValue: m })).join(', ')})
                    </Text>
                  )}
                  {!step.done && admin && (
                    <Anchor component={Link} to={WHERE[step.key]} size="sm">
                      {t('goLive.open')}
                    </Anchor>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
        </Card>
      )}
    </Stack>
  );
}
