import { Alert, Button, Checkbox, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import type { Company, Plan } from '../api/types.ts';
import { QueryState } from '../components/states.tsx';

type Automation = Company['automation'];

/** Automatic mode: before it is switched on, the simulation of today's run is shown (seed 003). */
export default function AutomationSettings() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const automation = useQuery({ queryKey: ['automation'], queryFn: () => get<Automation>('/api/v1/company/automation') });
  const plan = useQuery({ queryKey: ['plan'], queryFn: () => get<Plan>('/api/v1/plan') });
  const save = async (patch: Partial<Automation>) => {
    try {
      client.setQueryData(['automation'], await api<Automation>('PUT', '/api/v1/company/automation', patch));
    } catch (error) {
      notifications.show({ color: 'red', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const switchOn = (on: boolean) => {
    if (!on) return save({ enabled: false });
    const sends = plan.data?.items.filter((i) => i.action === 'send').length ?? 0;
    modals.openConfirmModal({
      title: t('automation.confirmTitle'),
      children: <Text size="sm">{t('automation.confirm', { sends, communications: plan.data?.communications.length ?? 0 })}</Text>,
      labels: { confirm: t('automation.enable'), cancel: t('common.cancel') },
      onConfirm: () => void save({ enabled: true }),
    });
  };
  return (
    <QueryState query={automation}>{(a) => (
      <Stack maw={1000}>
        <Switch size="md" label={t('automation.enabled')} checked={a.enabled} onChange={(e) => void switchOn(e.currentTarget.checked)} />
        <Group>
          <TextInput label={t('automation.time')} type="time" value={a.time} w={140} onChange={(e) => void save({ time: e.currentTarget.value })} />
          <Checkbox mt="lg" label={t('automation.skipWeekends')} checked={a.skipWeekends} onChange={(e) => void save({ skipWeekends: e.currentTarget.checked })} />
          <Checkbox mt="lg" label={t('automation.skipHolidays')} checked={a.skipHolidays} onChange={(e) => void save({ skipHolidays: e.currentTarget.checked })} />
        </Group>
        <Title order={4}>{t('automation.simulation')}</Title>
        <QueryState query={plan}>{(p) => (
          p.communications.length === 0 ? <Alert>{t('automation.nothing')}</Alert> : (
            <Table striped data-testid="simulation">
              <Table.Thead><Table.Tr>
                <Table.Th>{t('invoices.customer')}</Table.Th><Table.Th>{t('automation.level')}</Table.Th>
                <Table.Th>{t('automation.channels')}</Table.Th><Table.Th>{t('automation.invoices')}</Table.Th><Table.Th>{t('invoices.balance')}</Table.Th>
              </Table.Tr></Table.Thead>
              <Table.Tbody>
                {p.communications.slice(0, 200).map((c, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{c.customer}</Table.Td><Table.Td>{c.label}</Table.Td><Table.Td>{c.channels.join(', ')}</Table.Td>
                    <Table.Td>{c.invoices.join(', ')}</Table.Td><Table.Td>{c.total}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ))}</QueryState>
        <Button variant="default" w={200} onClick={() => void client.invalidateQueries({ queryKey: ['plan'] })}>{t('automation.refresh')}</Button>
      </Stack>
    )}</QueryState>
  );
}
