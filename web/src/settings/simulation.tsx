import { Alert, Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Plan } from '../api/types.ts';
import { money, parseAmount } from '../format.ts';
import { stoppedText } from '../components/issue-text.ts';
import { useIsAdmin, useSession } from '../session.tsx';
import { errorText } from '../api/error-text.ts';

const PAGE = 20;

/**
 * The simulation of the next run, compact: one line per level (messages, invoices, amount), then the
 * messages 20 at a time on demand instead of thousands of rows.
 */
export function Simulation({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(0);
  if (plan.communications.length === 0) return <Alert>{t('automation.nothing')}</Alert>;
  const byLevel = new Map<string, { messages: number; invoices: number; totals: Map<string, number> }>();
  for (const c of plan.communications) {
    const entry = byLevel.get(c.label) ?? { messages: 0, invoices: 0, totals: new Map() };
    entry.messages++;
    entry.invoices += c.invoices.length;
    entry.totals.set(c.currency, (entry.totals.get(c.currency) ?? 0) + (parseAmount(c.total, c.currency) ?? 0));
    byLevel.set(c.label, entry);
  }
  return (
    <Stack gap="xs">
      <Table data-testid="simulation-summary" maw={700}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('automation.level')}</Table.Th>
            <Table.Th ta="right">{t('automationPlus.messages')}</Table.Th>
            <Table.Th ta="right">{t('automation.invoices')}</Table.Th>
            <Table.Th ta="right">{t('invoices.balance')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...byLevel].map(([label, e]) => (
            <Table.Tr key={label} data-level={label}>
              <Table.Td>{label}</Table.Td>
              <Table.Td ta="right" data-field="messages">
                {e.messages}
              </Table.Td>
              <Table.Td ta="right">{e.invoices}</Table.Td>
              <Table.Td ta="right">
                {[...e.totals].map(([currency, cents]) => money(cents, currency)).join(' · ')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {shown === 0 ? (
        <Anchor
          component="button"
          type="button"
          w="fit-content"
          onClick={() => setShown(PAGE)}
          data-testid="simulation-details"
        >
          {t('automationPlus.details', { count: plan.communications.length })}
        </Anchor>
      ) : (
        <>
          <Table striped data-testid="simulation">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('invoices.customer')}</Table.Th>
                <Table.Th>{t('automation.level')}</Table.Th>
                <Table.Th>{t('automation.channels')}</Table.Th>
                <Table.Th>{t('automation.invoices')}</Table.Th>
                <Table.Th>{t('invoices.balance')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.communications.slice(0, shown).map((c, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{c.customer}</Table.Td>
                  <Table.Td>{c.label}</Table.Td>
                  <Table.Td>{c.channels.map((ch) => t(`enums.channel.${ch}`, { ns: 'messages' })).join(', ')}</Table.Td>
                  <Table.Td>
                    {c.invoices.length > 3
                      ? `${c.invoices.slice(0, 3).join(', ')} … (+${c.invoices.length - 3})`
                      : c.invoices.join(', ')}
                  </Table.Td>
                  <Table.Td ta="right">{money(parseAmount(c.total, c.currency), c.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group gap="xs">
            {shown < plan.communications.length && (
              <Button size="xs" variant="default" onClick={() => setShown(shown + PAGE)}>
                {t('automationPlus.more', { count: Math.min(PAGE, plan.communications.length - shown) })}
              </Button>
            )}
            <Button size="xs" variant="subtle" onClick={() => setShown(0)}>
              {t('automationPlus.hide')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

/** The simulation e-mail: per customer and level, which invoices will be reminded, sent to an address. */
export function SimulationMail() {
  const { t, i18n } = useTranslation();
  const admin = useIsAdmin();
  const session = useSession();
  const [to, setTo] = useState(session.user.email);
  if (!admin) return null;
  const send = async () => {
    try {
      const answer = await api<{ dispatch: Parameters<typeof stoppedText>[0] & { sent: number; notSent: number } }>(
        'POST',
        '/api/v1/simulation/send',
        { to, language: i18n.language === 'en' ? 'en' : 'fr' },
      );
      const stopped = stoppedText(answer.dispatch, t, i18n);
      notifications.show({
        color: stopped ? 'orange' : 'green',
        message: t('automationPlus.mailed', { to }) + (stopped ? ` ${stopped}` : ''),
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    }
  };
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {t('automationPlus.mailTitle')}
      </Title>
      <Group align="end">
        <TextInput
          label={t('automationPlus.mailTo')}
          type="email"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          w={320}
          name="simulation-to"
        />
        <Button variant="light" onClick={() => void send()} disabled={!to.includes('@')} data-testid="send-simulation">
          {t('automationPlus.mailSend')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('automationPlus.mailHint')}
      </Text>
    </Stack>
  );
}
