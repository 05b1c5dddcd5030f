import { GoLive } from '../components/GoLive.tsx';
import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Alert, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../api/client.ts';
import { EmptyState, QueryState } from '../components/states.tsx';
import { outboxErrorText } from '../components/issue-text.ts';
import { count, dateTime, money, moneyMap, wholeMoney, wholeUnits } from '../format.ts';
import { categoryLabel } from './category-label.ts';
import { useCategories } from './relances-data.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { MyTasks } from './my-tasks.tsx';
import { CustomerAnswers } from './customer-answers.tsx';

type Dashboard = {
  date: string;
  currency: string;
  aging: { bucket: string; count: number; balance: number }[];
  overdue: { count: number; balance: number };
  receivable: number;
  dso: number | null;
  automation: { enabled: boolean; time: string; nextRun: { sends: number; communications: number } | null };
  recent: {
    id: string;
    status: string;
    to: string[];
    subject: string;
    at: string;
    lastError: string | null;
    /** Why it is not sent, as a code of the server's catalogue: said in the reader's language. */
    error?: { code: string; params: Record<string, string | number> } | null;
  }[];
  outbox: Record<string, number>;
  missingRates: { series: string; halfYear: string; fr: string; en: string }[];
};

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const query = useQuery({ queryKey: ['dashboard'], queryFn: () => get<Dashboard>('/api/v1/dashboard') });
  const categories = useCategories();
  return (
    <Stack>
      <PageHeading title={t('dashboard.title')} />
      <GoLive />
      <MyTasks />
      <CustomerAnswers />
      <QueryState query={query}>
        {(d) => (
          <Stack>
            {(d.missingRates ?? []).map((m) => (
              <Alert key={`${m.series}-${m.halfYear}`} color="orange" title={t('rates.missing')}>
                {i18n.language === 'en' ? m.en : m.fr} <Link to="/settings/rates">{t('settings.tabs.rates')}</Link>
              </Alert>
            ))}
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
              <Figure
                label={t('dashboard.overdue')}
                value={money(d.overdue.balance, d.currency)}
                hint={t('invoices.count', { count: d.overdue.count, formatted: count(d.overdue.count) })}
              />
              <Figure label={t('dashboard.receivable')} value={money(d.receivable, d.currency)} />
              <Figure
                label={t('dashboard.dso')}
                value={d.dso === null ? '—' : t('dashboard.days', { count: Math.round(d.dso) })}
              />
              <Figure
                label={t('dashboard.nextRun')}
                value={
                  d.automation.nextRun
                    ? t('dashboard.nextRunValue', {
                        sends: t('counts.reminder', { count: d.automation.nextRun.sends }),
                        communications: t('counts.communication', { count: d.automation.nextRun.communications }),
                      })
                    : t('dashboard.seeRelances')
                }
                hint={
                  d.automation.enabled ? t('dashboard.autoAt', { time: d.automation.time }) : t('dashboard.autoOff')
                }
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <Card withBorder>
                <Title order={4} mb="sm">
                  {t('dashboard.aging')}
                </Title>
                <BarChart
                  h={240}
                  dataKey="bucket"
                  valueFormatter={(v) => wholeMoney(v, d.currency)}
                  yAxisProps={{ width: 100 }}
                  data={d.aging.map((b) => ({
                    bucket: t(`dashboard.buckets.${b.bucket}`),
                    balance: wholeUnits(b.balance, d.currency),
                  }))}
                  series={[{ name: 'balance', label: t('invoices.balance'), color: 'indigo.6' }]}
                />
              </Card>
              <Card withBorder>
                <Title order={4} mb="sm">
                  {t('dashboard.categories')}
                </Title>
                <Table>
                  <Table.Tbody>
                    {(categories.data?.categories ?? []).map((c) => (
                      <Table.Tr key={c.key}>
                        <Table.Td>
                          <Link to={`/relances?category=${c.key}`}>{categoryLabel(c, t)}</Link>
                        </Table.Td>
                        <Table.Td ta="right">{count(c.count)}</Table.Td>
                        <Table.Td ta="right">{moneyMap(c.balance)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            </SimpleGrid>
            <Card withBorder>
              <Group justify="space-between" mb="sm">
                <Title order={4}>{t('dashboard.recent')}</Title>
                <Group gap="xs">
                  {Object.entries(d.outbox)
                    .filter(([, n]) => n > 0)
                    .map(([s, n]) => (
                      <Badge
                        key={s}
                        variant="light"
                        color={s === 'failed' || s === 'bounced' ? 'red' : s === 'sent' ? 'green' : 'gray'}
                      >
                        {t(`outbox.statuses.${s}`)} {n}
                      </Badge>
                    ))}
                </Group>
              </Group>
              {d.recent.length === 0 ? (
                <EmptyState>{t('dashboard.noRecent')}</EmptyState>
              ) : (
                <Table>
                  <Table.Tbody>
                    {d.recent.map((m) => (
                      <Table.Tr key={m.id}>
                        <Table.Td>{dateTime(m.at)}</Table.Td>
                        <Table.Td>
                          <Badge
                            variant="light"
                            color={
                              m.status === 'failed' || m.status === 'bounced'
                                ? 'red'
                                : m.status === 'sent'
                                  ? 'green'
                                  : 'gray'
                            }
                          >
                            {t(`outbox.statuses.${m.status}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{m.to.join(', ')}</Table.Td>
                        <Table.Td>{m.subject}</Table.Td>
                        <Table.Td c="red">{outboxErrorText(m, t, i18n)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
