import {
  ActionIcon,
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get } from '../api/client.ts';
import { QueryState } from '../components/states.tsx';
import { issueFieldText, issueReasonText } from '../components/issue-text.ts';
import { useIsAdmin } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

type Origin = 'dueDate' | 'issueDate' | 'previousStep';
type Step = { label: string; delayDays: number; from: Origin };
const ORIGINS: Origin[] = ['dueDate', 'issueDate', 'previousStep'];

/**
 * The steps of quote follow-ups (e-mails only): a label, a number of days (negative = before) and what they count
 * from. Saved as a whole and checked by the server as a reminder policy; its refusals name the step and field.
 */
export function QuotePolicy() {
  const { t, i18n } = useTranslation();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['quote-policy'],
    queryFn: () => get<{ steps: Step[] }>('/api/v1/quotes/policy'),
  });
  const [steps, setSteps] = useState<Step[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    if (query.data) setSteps(query.data.steps);
  }, [query.data]);
  const change = (index: number, patch: Partial<Step>) =>
    setSteps((prev) => prev.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const send = async (method: 'PUT' | 'DELETE') => {
    setProblems([]);
    try {
      const body = method === 'PUT' ? { steps: steps.map((s) => ({ ...s, channels: ['email'] })) } : undefined;
      const saved = await api<{ steps: Step[] }>(method, '/api/v1/quotes/policy', body);
      client.setQueryData(['quote-policy'], saved);
      await client.invalidateQueries({ queryKey: ['follow-ups'] });
      notifications.show({ color: 'green', message: t('quotes.policySaved') });
    } catch (error) {
      if (error instanceof ApiError && error.errors?.length)
        setProblems(error.errors.map((e) => `${issueFieldText(e.field, t, i18n)} : ${issueReasonText(e, t, i18n)}`));
      else setProblems([errorText(error)]);
    }
  };
  return (
    <Paper withBorder p="sm" data-testid="quote-policy">
      <Title order={2} size="h4">
        {t('quotes.policy')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('quotes.policyHint')}
      </Text>
      <QueryState query={query}>
        {() => (
          <Stack gap="xs">
            {steps.map((step, index) => (
              <Group key={index} align="end" data-step={index + 1}>
                <TextInput
                  label={t('quotes.stepLabel')}
                  value={step.label}
                  disabled={!admin}
                  onChange={(e) => change(index, { label: e.currentTarget.value })}
                  w={240}
                />
                <NumberInput
                  label={t('quotes.stepDays')}
                  value={step.delayDays}
                  disabled={!admin}
                  onChange={(v) => change(index, { delayDays: typeof v === 'number' ? v : Number(v) || 0 })}
                  w={100}
                />
                <Select
                  label={t('quotes.stepFrom')}
                  value={step.from}
                  disabled={!admin}
                  allowDeselect={false}
                  onChange={(v) => v && change(index, { from: v as Origin })}
                  data={ORIGINS.map((o) => ({ value: o, label: t(`quotes.from.${o}`) }))}
                  w={220}
                />
                {admin && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mb={4}
                    aria-label={t('quotes.removeStep', { n: index + 1 })}
                    onClick={() => setSteps((prev) => prev.filter((_, i) => i !== index))}
                  >
                    ×
                  </ActionIcon>
                )}
              </Group>
            ))}
            {problems.length > 0 && (
              <Alert color="red" title={t('common.notSaved')}>
                {problems.map((p) => (
                  <Text key={p} size="sm">
                    {p}
                  </Text>
                ))}
              </Alert>
            )}
            {admin && (
              <Group>
                <Button
                  variant="default"
                  onClick={() =>
                    setSteps((prev) => [
                      ...prev,
                      { label: '', delayDays: 3, from: prev.length ? 'previousStep' : 'dueDate' },
                    ])
                  }
                >
                  {t('quotes.addStep')}
                </Button>
                <Button onClick={() => void send('PUT')} data-testid="quote-policy-save">
                  {t('common.save')}
                </Button>
                <Button variant="subtle" onClick={() => void send('DELETE')}>
                  {t('quotes.reset')}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </QueryState>
    </Paper>
  );
}
