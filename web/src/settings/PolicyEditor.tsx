import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PolicyJson } from '../../../src/domain/dunning/policy.ts';
import { api, ApiError, get } from '../api/client.ts';
import type { Policy } from '../api/types.ts';
import { QueryState } from '../components/states.tsx';
import { issueFieldText, issueReasonText, stoppedText } from '../components/issue-text.ts';
import { useTemplateKinds } from '../components/template-kinds.ts';
import { policyFieldText } from './policy-fields.ts';
import { useIsAdmin } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

type Step = PolicyJson['steps'][number];
// The server's default (ANNOUNCED_PAYMENT_PAUSE_DAYS), repeated so the editor does not bundle the policy's validation.
const ANNOUNCED_PAYMENT_PAUSE_DAYS = 10;
type Status = {
  state: 'idle' | 'saving' | 'saved' | 'error';
  message?: string;
  errors?: { field: string; reason: string }[];
};

/**
 * Config > Relance: the default policy and the named ones a customer can be given (eKo's « programmes de relance »,
 * incwo's per-customer scenario); every change is saved shortly after typing stops, and the state says so.
 */
export default function PolicyEditor({ only }: { only?: string } = {}) {
  const { t } = useTranslation();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const [name, setName] = useState(only ?? 'default');
  const [newName, setNewName] = useState('');
  const list = useQuery({ queryKey: ['policies'], queryFn: () => get<{ items: Policy[] }>('/api/v1/policies') });
  const query = useQuery({
    queryKey: ['policy', name],
    queryFn: () => get<Policy>(`/api/v1/policies/${encodeURIComponent(name)}`),
    staleTime: 0,
  });
  const names = [...new Set(['default', ...(list.data?.items ?? []).map((p) => p.name)])];
  // A new policy starts as a copy of the one shown, then is edited on its own.
  const create = async () => {
    const target = newName.trim();
    if (!target || names.includes(target) || !query.data) return;
    try {
      const { name: _name, ...definition } = query.data.definition as PolicyJson;
      await api('PUT', `/api/v1/policies/${encodeURIComponent(target)}`, definition);
      await client.invalidateQueries({ queryKey: ['policies'] });
      setNewName('');
      setName(target);
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  // `only`: one policy edited where it is used (a customer's own programme on its page), without the policy picker.
  if (only)
    return (
      <QueryState query={query}>
        {(policy) => <Editor key={only} name={only} initial={policy.definition as PolicyJson} />}
      </QueryState>
    );
  return (
    <Stack>
      <Group align="flex-end">
        <Select
          label={t('policy.policy')}
          name="policy"
          w={260}
          allowDeselect={false}
          value={name}
          onChange={(v) => v && setName(v)}
          data={names.map((n) => ({ value: n, label: n === 'default' ? t('policy.defaultPolicy') : n }))}
        />
        {admin && (
          <>
            <TextInput
              label={t('policy.newPolicy')}
              name="newPolicy"
              w={220}
              value={newName}
              placeholder={t('policy.newPolicyHint')}
              onChange={(e) => setNewName(e.currentTarget.value)}
            />
            <Button
              variant="light"
              onClick={() => void create()}
              disabled={!newName.trim() || names.includes(newName.trim())}
            >
              {t('policy.createCopy')}
            </Button>
          </>
        )}
      </Group>
      <QueryState query={query}>
        {(policy) => <Editor key={name} name={name} initial={policy.definition as PolicyJson} />}
      </QueryState>
    </Stack>
  );
}

/** The policy's decimal points shown as the French comma ("15,00", "10,5") when the app speaks French. */
function withDecimalComma(policy: PolicyJson, french: boolean): PolicyJson {
  if (!french) return policy;
  const comma = (text: string) => text.replace('.', ',');
  return {
    ...policy,
    ...(typeof policy.minBalance === 'string' ? { minBalance: comma(policy.minBalance) } : {}),
    ...(policy.charges?.contractRate !== undefined
      ? { charges: { ...policy.charges, contractRate: comma(policy.charges.contractRate) } }
      : {}),
  };
}

function Editor({ name, initial }: { name: string; initial: PolicyJson }) {
  const { t, i18n } = useTranslation();
  const admin = useIsAdmin();
  const client = useQueryClient();
  const [policy, setPolicy] = useState<PolicyJson>(() => withDecimalComma(initial, i18n.language !== 'en'));
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const [testTo, setTestTo] = useState('');
  // Each step's own test: the message of that step of this policy, with its template, to one address.
  const testStep = async (level: number) => {
    try {
      const answer = await api<{ dispatch: Parameters<typeof stoppedText>[0] & { sent: number } }>(
        'POST',
        '/api/v1/templates/test-send',
        { level, to: testTo.trim(), policy: name },
      );
      notifications.show({
        color: answer.dispatch.sent > 0 ? 'green' : 'orange',
        message:
          answer.dispatch.sent > 0
            ? t('templates.testSent', { to: testTo.trim() })
            : (stoppedText(answer.dispatch, t, i18n) ?? t('templates.testQueued')),
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const latest = useRef(0);

  const save = useDebouncedCallback(async (next: PolicyJson) => {
    const attempt = ++latest.current;
    setStatus({ state: 'saving' });
    try {
      const { name: _name, ...definition } = next;
      // The field shows what the user typed; a French decimal comma ("15,50") is sent as the policy's point.
      if (typeof definition.minBalance === 'string')
        definition.minBalance = definition.minBalance.trim().replace(',', '.');
      if (definition.charges?.contractRate !== undefined) {
        definition.charges = {
          ...definition.charges,
          contractRate: definition.charges.contractRate.trim().replace(',', '.'),
        };
      }
      await api(
        'PUT',
        name === 'default'
          ? '/api/v1/policies/default?makeDefault=true'
          : `/api/v1/policies/${encodeURIComponent(name)}`,
        definition,
      );
      if (attempt === latest.current) setStatus({ state: 'saved' });
      void client.invalidateQueries({ queryKey: ['categories'] });
    } catch (error) {
      if (attempt !== latest.current) return;
      setStatus({
        state: 'error',
        message: errorText(error),
        errors: error instanceof ApiError ? error.errors : undefined,
      });
    }
  }, 600);
  useEffect(() => () => save.flush?.(), [save]);

  const change = (next: PolicyJson) => {
    setPolicy(next);
    if (admin) save(next);
  };
  // A step's message follows its place in the ladder unless it names a template (one model per level).
  const templateChoices = useTemplateKinds();
  // Charges are claimed unless the policy turns them off; each step says whether its reminder claims them.
  const chargesOn = policy.charges?.enabled ?? true;
  const setStep = (index: number, patch: Partial<Step>) =>
    change({ ...policy, steps: policy.steps.map((s, i) => (i === index ? { ...s, ...patch } : s)) });
  const toggleChannel = (index: number, channel: 'email' | 'letter', on: boolean) => {
    const current = policy.steps[index]!.channels;
    setStep(index, { channels: on ? [...new Set([...current, channel])] : current.filter((c) => c !== channel) });
  };

  return (
    <Stack maw={1240}>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          {t('policy.help')}
        </Text>
        <SaveState status={status} policy={policy} />
      </Group>
      {!admin && <Alert>{t('policy.readOnly')}</Alert>}
      <Paper withBorder p="sm">
        <Table data-testid="policy-steps">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('policy.label')}</Table.Th>
              <Table.Th>{t('policy.delay')}</Table.Th>
              <Table.Th>{t('policy.from')}</Table.Th>
              <Table.Th>{t('policy.channels')}</Table.Th>
              <Table.Th>{t('policy.template')}</Table.Th>
              <Table.Th>{t('policy.formalNotice')}</Table.Th>
              <Table.Th>{t('policy.stepCharges')}</Table.Th>
              <Table.Th />
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {policy.steps.map((step, i) => (
              <Table.Tr key={i}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`${t('policy.label')} ${i + 1}`}
                    name={`steps.${i}.label`}
                    value={step.label}
                    miw={150}
                    disabled={!admin}
                    onChange={(e) => setStep(i, { label: e.currentTarget.value })}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput
                    aria-label={`${t('policy.delay')} ${i + 1}`}
                    name={`steps.${i}.delayDays`}
                    value={step.delayDays}
                    w={100}
                    allowDecimal={false}
                    disabled={!admin}
                    suffix={` ${t('policy.days')}`}
                    onChange={(v) => setStep(i, { delayDays: typeof v === 'number' ? v : Number(v) || 0 })}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`${t('policy.from')} ${i + 1}`}
                    value={step.from}
                    allowDeselect={false}
                    disabled={!admin}
                    w={180}
                    data={(['dueDate', 'previousStep', 'issueDate'] as const).map((v) => ({
                      value: v,
                      label: t(`policy.origins.${v}`),
                    }))}
                    onChange={(v) => v && setStep(i, { from: v as Step['from'] })}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Checkbox
                      label={t('policy.email')}
                      checked={step.channels.includes('email')}
                      disabled={!admin}
                      onChange={(e) => toggleChannel(i, 'email', e.currentTarget.checked)}
                    />
                    <Checkbox
                      label={t('policy.letter')}
                      checked={step.channels.includes('letter')}
                      disabled={!admin}
                      onChange={(e) => toggleChannel(i, 'letter', e.currentTarget.checked)}
                    />
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`${t('policy.template')} ${i + 1}`}
                    name={`steps.${i}.template`}
                    w={160}
                    disabled={!admin}
                    placeholder={t('policy.templateByPlace')}
                    clearable
                    data={templateChoices}
                    value={step.templates?.[0] ?? null}
                    onChange={(v) => setStep(i, { templates: v ? [v] : undefined })}
                  />
                </Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={`${t('policy.formalNotice')} ${i + 1}`}
                    checked={Boolean(step.formalNotice)}
                    disabled={!admin}
                    onChange={(e) => setStep(i, { formalNotice: e.currentTarget.checked || undefined })}
                  />
                </Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={`${t('policy.stepCharges')} ${i + 1}`}
                    name={`steps.${i}.charges`}
                    checked={Boolean(step.charges)}
                    disabled={!admin || !chargesOn}
                    onChange={(e) => setStep(i, { charges: e.currentTarget.checked || undefined })}
                  />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    aria-label={`${t('policy.testStep')} ${i + 1}`}
                    disabled={!testTo.trim()}
                    onClick={() => void testStep(i + 1)}
                  >
                    {t('policy.testStep')}
                  </Button>
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('policy.removeStep')}
                    disabled={!admin || policy.steps.length === 1}
                    onClick={() => change({ ...policy, steps: policy.steps.filter((_, j) => j !== i) })}
                  >
                    ✕
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group mt="sm" justify="space-between" align="end">
          {admin ? (
            <Button
              variant="light"
              onClick={() =>
                change({
                  ...policy,
                  steps: [
                    ...policy.steps,
                    { label: t('policy.newStep'), delayDays: 15, from: 'previousStep', channels: ['email'] },
                  ],
                })
              }
            >
              {t('policy.addStep')}
            </Button>
          ) : (
            <span />
          )}
          <TextInput
            label={t('policy.testTo')}
            name="testTo"
            value={testTo}
            w={260}
            onChange={(e) => setTestTo(e.currentTarget.value)}
          />
        </Group>
      </Paper>
      <Group>
        <TextInput
          label={t('policy.minBalance')}
          name="minBalance"
          value={policy.minBalance ?? ''}
          disabled={!admin}
          w={200}
          onChange={(e) => change({ ...policy, minBalance: e.currentTarget.value })}
          rightSection="€"
        />
        <NumberInput
          label={t('policy.minDaysBetween')}
          name="minDaysBetween"
          value={policy.minDaysBetween ?? 0}
          disabled={!admin}
          w={220}
          allowDecimal={false}
          onChange={(v) => change({ ...policy, minDaysBetween: typeof v === 'number' ? v : Number(v) || 0 })}
        />
        <Checkbox
          label={t('policy.pauseOnReply')}
          description={t('policy.pauseOnReplyHelp')}
          name="pauseOnReply"
          checked={policy.pauseOnReply !== false}
          disabled={!admin}
          onChange={(e) => change({ ...policy, pauseOnReply: e.currentTarget.checked })}
        />
        <NumberInput
          label={t('policy.announcedPaymentPauseDays')}
          description={t('policy.announcedPaymentPauseDaysHelp')}
          name="announcedPaymentPauseDays"
          value={policy.announcedPaymentPauseDays ?? ANNOUNCED_PAYMENT_PAUSE_DAYS}
          disabled={!admin}
          w={260}
          min={0}
          max={90}
          allowDecimal={false}
          allowNegative={false}
          onChange={(v) =>
            change({
              ...policy,
              announcedPaymentPauseDays: v === '' ? undefined : typeof v === 'number' ? v : Number(v) || 0,
            })
          }
        />
      </Group>
      <Group align="flex-end">
        <Checkbox
          label={t('policy.chargesEnabled')}
          name="charges.enabled"
          checked={chargesOn}
          disabled={!admin}
          onChange={(e) => change({ ...policy, charges: { ...policy.charges, enabled: e.currentTarget.checked } })}
        />
        <TextInput
          label={t('policy.contractRate')}
          name="charges.contractRate"
          w={220}
          disabled={!admin || !chargesOn}
          value={policy.charges?.contractRate ?? ''}
          rightSection="%"
          description={t('policy.contractRateHelp')}
          onChange={(e) => {
            const { contractRate: _rate, ...rest } = policy.charges ?? { enabled: true };
            const text = e.currentTarget.value;
            change({ ...policy, charges: text.trim() === '' ? rest : { ...rest, contractRate: text } });
          }}
        />
      </Group>
    </Stack>
  );
}

export function SaveState({ status, policy }: { status: Status; policy?: Pick<PolicyJson, 'steps'> }) {
  const { t, i18n } = useTranslation();
  if (status.state === 'idle') return null;
  if (status.state === 'saving')
    return (
      <Badge color="gray" data-testid="save-state">
        {t('common.saving')}
      </Badge>
    );
  if (status.state === 'saved')
    return (
      <Badge color="green" data-testid="save-state">
        {t('common.saved')}
      </Badge>
    );
  return (
    <Stack gap={2} data-testid="save-state">
      <Badge color="red">{t('common.notSaved')}</Badge>
      <Text size="xs" c="red">
        {status.message}
      </Text>
      {status.errors?.map((e, i) => (
        <Text key={i} size="xs" c="red">
          {(policy && policyFieldText(e.field, policy, t)) ?? issueFieldText(e.field.replace(/^body\./, ''), t, i18n)} :{' '}
          {issueReasonText(e, t, i18n)}
        </Text>
      ))}
    </Stack>
  );
}
