import { Button, Checkbox, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TimeField } from '../components/date-field.tsx';
import { api, get } from '../api/client.ts';
import type { Company, Plan } from '../api/types.ts';
import { QueryState } from '../components/states.tsx';
import { dateTimeAt } from '../format-extra.ts';
import { Simulation, SimulationMail } from './simulation.tsx';
import { errorText } from '../api/error-text.ts';

type Automation = Company['automation'] & { nextRunAt: string | null };

/** Automatic mode: before it is switched on, the simulation of today's run is shown. */
export default function AutomationSettings() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const automation = useQuery({
    queryKey: ['automation'],
    queryFn: () => get<Automation>('/api/v1/company/automation'),
  });
  const plan = useQuery({ queryKey: ['plan'], queryFn: () => get<Plan>('/api/v1/plan') });
  const save = async (patch: Partial<Automation>) => {
    try {
      client.setQueryData(['automation'], await api<Automation>('PUT', '/api/v1/company/automation', patch));
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  const switchOn = (on: boolean) => {
    if (!on) return save({ enabled: false });
    const sends = plan.data?.items.filter((i) => i.action === 'send').length ?? 0;
    modals.openConfirmModal({
      title: t('automation.confirmTitle'),
      children: (
        <Text size="sm">
          {t('automation.confirm', {
            sends: t('counts.reminder', { count: sends }),
            communications: t('counts.communication', { count: plan.data?.communications.length ?? 0 }),
          })}
        </Text>
      ),
      labels: { confirm: t('automation.enable'), cancel: t('common.cancel') },
      onConfirm: () => void save({ enabled: true }),
    });
  };
  return (
    <QueryState query={automation}>
      {(a) => (
        <Stack maw={1000}>
          <Switch
            size="md"
            label={t('automation.enabled')}
            checked={a.enabled}
            onChange={(e) => void switchOn(e.currentTarget.checked)}
          />
          <Text size="sm" data-testid="next-run">
            {a.nextRunAt ? t('automationPlus.nextRun', { when: dateTimeAt(a.nextRunAt) }) : t('automationPlus.off')}
          </Text>
          <Group>
            <TimeField
              label={t('automation.time')}
              value={a.time}
              w={140}
              onChange={(value) => {
                if (/^\d{2}:\d{2}/.test(value)) void save({ time: value.slice(0, 5) });
              }}
            />
            <Checkbox
              mt="lg"
              label={t('automation.skipWeekends')}
              checked={a.skipWeekends}
              onChange={(e) => void save({ skipWeekends: e.currentTarget.checked })}
            />
            <Checkbox
              mt="lg"
              label={t('automation.skipHolidays')}
              checked={a.skipHolidays}
              onChange={(e) => void save({ skipHolidays: e.currentTarget.checked })}
            />
          </Group>
          <Title order={4}>{t('automation.simulation')}</Title>
          <QueryState query={plan}>{(p) => <NotSent plan={p} />}</QueryState>
          <QueryState query={plan}>{(p) => <Simulation plan={p} />}</QueryState>
          <SimulationMail />
          <Button variant="default" w={200} onClick={() => void client.invalidateQueries({ queryKey: ['plan'] })}>
            {t('automation.refresh')}
          </Button>
        </Stack>
      )}
    </QueryState>
  );
}

const REASONS = [
  'no_contact',
  'customer_blocked',
  'disputed',
  'below_minimum',
  'customer_paused',
  'reply_unread',
  'promise_to_pay',
  'too_soon',
  'not_yet_due',
  'out_of_cycle',
  'awaiting_dispatch',
] as const;

/**
 * What today's run would not send, and why (the simulation says whether each invoice will be reminded
 * or not): a count per reason, then the invoices that need someone to act (no contact, blocked, disputed).
 */
function NotSent({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const held = plan.items.filter((i) => i.action !== 'send');
  if (held.length === 0) return null;
  const counts = new Map<string, number>();
  for (const item of held) counts.set(item.reasonCode ?? '', (counts.get(item.reasonCode ?? '') ?? 0) + 1);
  const toFix = held.filter(
    (i) => i.action === 'skip' && i.reasonCode !== 'out_of_cycle' && i.reasonCode !== 'below_minimum',
  );
  return (
    <Stack gap="xs">
      <Text fw={600}>{t('automation.notSent', { count: held.length })}</Text>
      <Table data-testid="simulation-not-sent" maw={520}>
        <Table.Tbody>
          {[...REASONS, '']
            .filter((r) => counts.has(r))
            .map((r) => (
              <Table.Tr key={r} data-reason={r}>
                <Table.Td>{r ? t(`automation.reasons.${r}`) : t('automation.reasons.other')}</Table.Td>
                <Table.Td ta="right" data-field="count">
                  {counts.get(r)}
                </Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      {toFix.length > 0 && (
        <Table striped data-testid="simulation-to-fix">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('invoices.customer')}</Table.Th>
              <Table.Th>{t('automation.invoice')}</Table.Th>
              <Table.Th>{t('automation.level')}</Table.Th>
              <Table.Th>{t('automation.why')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {toFix.slice(0, 20).map((i) => (
              <Table.Tr key={i.invoice} data-number={i.invoice}>
                <Table.Td>{i.customer}</Table.Td>
                <Table.Td>{i.invoice}</Table.Td>
                <Table.Td>{i.label}</Table.Td>
                <Table.Td>{i.reasonCode ? t(`automation.reasons.${i.reasonCode}`) : i.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          {toFix.length > 20 && <Table.Caption>{t('automation.more', { count: toFix.length - 20 })}</Table.Caption>}
        </Table>
      )}
    </Stack>
  );
}
