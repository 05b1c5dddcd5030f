import { BarChart, LineChart } from '@mantine/charts';
import {
  Anchor,
  Button,
  Card,
  Group,
  Menu,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { z } from 'zod';
import type { AgedBalanceSchema, KpisSchema } from '../../../src/reports/schemas.ts';
import { download, get, withQuery } from '../api/client.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { QueryState } from '../components/states.tsx';
import { money, month as monthLabel, wholeMoney, wholeUnits } from '../format.ts';
import { errorText } from '../api/error-text.ts';

type Aging = z.infer<typeof AgedBalanceSchema>;
type Kpis = z.infer<typeof KpisSchema>;
type SortKey = 'customer' | 'salesRep' | 'balance' | number;

/** Days before `date` as 'YYYY-MM-DD' (UTC arithmetic on a plain date: no time zone can shift it). */
function daysBefore(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

/** The invoice list of one aging column: open invoices whose due date puts them in it on the report's date. */
function bucketLink(date: string, bucket: Aging['buckets'][number], salesRep: string): string {
  const query: Record<string, string> = { status: 'open' };
  if (bucket.fromDays === null) query.dueFrom = date;
  else {
    query.dueTo = daysBefore(date, bucket.fromDays);
    if (bucket.toDays !== null) query.dueFrom = daysBefore(date, bucket.toDays);
  }
  if (salesRep) query.salesRep = salesRep;
  return withQuery('/invoices', query);
}

export default function Reports() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [rep, setRep] = useState('');
  const [salesRep] = useDebouncedValue(rep.trim(), 400);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'balance', desc: true });
  const aging = useQuery({
    queryKey: ['report', 'aging', salesRep],
    placeholderData: keepPreviousData,
    queryFn: () => get<Aging>('/api/v1/reports/aging', { salesRep: salesRep || undefined }),
  });
  const kpis = useQuery({
    queryKey: ['report', 'kpis'],
    queryFn: () => get<Kpis>('/api/v1/reports/kpis', { months: 12 }),
  });
  const exportAs = (report: 'aging' | 'kpis', format: 'csv' | 'xlsx' | 'pdf') =>
    download(
      'GET',
      withQuery(`/api/v1/reports/${report}/export`, {
        format,
        salesRep: report === 'aging' ? salesRep || undefined : undefined,
      }),
      `${report}.${format}`,
    ).catch((error: unknown) => notifications.show({ color: 'red', message: errorText(error) }));
  const exportMenu = (report: 'aging' | 'kpis') => (
    <Menu>
      <Menu.Target>
        <Button variant="default" size="xs" data-testid={`export-${report}`}>
          {t('invoices.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {(['csv', 'xlsx', 'pdf'] as const).map((f) => (
          <Menu.Item key={f} onClick={() => void exportAs(report, f)} data-testid={`export-${report}-${f}`}>
            {f.toUpperCase()}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
  const sortBy = (key: SortKey) =>
    setSort((s) => ({ key, desc: s.key === key ? !s.desc : key === 'balance' || typeof key === 'number' }));
  const th = (key: SortKey, label: string, right = false) => (
    <Table.Th
      ta={right ? 'right' : undefined}
      aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : undefined}
    >
      <UnstyledButton fw={700} fz="sm" onClick={() => sortBy(key)} data-sort={String(key)}>
        {label}
        {sort.key === key ? (sort.desc ? ' ↓' : ' ↑') : ''}
      </UnstyledButton>
    </Table.Th>
  );
  return (
    <Stack>
      <PageHeading title={t('reports.title')} />
      <QueryState query={kpis}>
        {(k) => (
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('reports.overdueTrend')}
              </Title>
              <Text size="sm" mb="xs">
                {t('reports.dso', { days: k.dso.days === null ? '—' : Math.round(k.dso.days) })}
              </Text>
              <LineChart
                h={220}
                dataKey="month"
                data={k.overdueTrend.map((p) => ({
                  month: monthLabel(p.month),
                  asOf: p.asOf,
                  balance: wholeUnits(p.balance, k.currency),
                }))}
                valueFormatter={(v) => wholeMoney(v, k.currency)}
                yAxisProps={{ width: 90 }}
                series={[{ name: 'balance', label: t('reports.overdue'), color: 'indigo.8' }]}
                activeDotProps={
                  {
                    r: 6,
                    cursor: 'pointer',
                    onClick: (_e: unknown, point: unknown) => {
                      const asOf = (point as { payload?: { asOf?: string } }).payload?.asOf;
                      if (asOf) navigate(withQuery('/invoices', { status: 'open', dueTo: daysBefore(asOf, 1) }));
                    },
                  } as never
                }
              />
              <Group gap="xs" mt="xs">
                {k.overdueTrend.map((p) => (
                  <Anchor
                    key={p.month}
                    component={Link}
                    size="xs"
                    to={withQuery('/invoices', { status: 'open', dueTo: daysBefore(p.asOf, 1) })}
                  >
                    {monthLabel(p.month)}
                  </Anchor>
                ))}
              </Group>
            </Card>
            <Card withBorder>
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h4">
                  {t('reports.levels')}
                </Title>
                {exportMenu('kpis')}
              </Group>
              {k.levels.length === 0 ? (
                <Text c="dimmed" size="sm">
                  {t('reports.noLevels')}
                </Text>
              ) : (
                <BarChart
                  h={220}
                  dataKey="label"
                  data={k.levels.map((l) => ({
                    label: l.label,
                    level: l.level,
                    share: Math.round((l.share ?? 0) * 100),
                  }))}
                  valueFormatter={(v) => `${v} %`}
                  series={[{ name: 'share', label: t('reports.paidWithin'), color: 'teal.8' }]}
                  barProps={
                    {
                      cursor: 'pointer',
                      onClick: (data: unknown) => {
                        const level =
                          (data as { payload?: { level?: number } }).payload?.level ??
                          (data as { level?: number }).level;
                        if (level) navigate(`/relances?category=level-${level}-in-progress`);
                      },
                    } as never
                  }
                />
              )}
              <Group gap="xs" mt="xs">
                {k.levels.map((l) => (
                  <Anchor
                    key={l.level}
                    component={Link}
                    size="xs"
                    to={`/relances?category=level-${l.level}-in-progress`}
                  >
                    {l.label} : {l.paidWithin15Days}/{l.sent}
                  </Anchor>
                ))}
              </Group>
            </Card>
          </SimpleGrid>
        )}
      </QueryState>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            {t('reports.aging')}
          </Title>
          <Group gap="xs" align="end">
            <TextInput
              size="xs"
              label={t('filters.salesRep')}
              value={rep}
              onChange={(e) => setRep(e.currentTarget.value)}
              name="aging-sales-rep"
            />
            {exportMenu('aging')}
          </Group>
        </Group>
        <QueryState query={aging}>
          {(a) => {
            const rows = [...a.rows].sort((x, y) => {
              const value = (r: Aging['rows'][number]) =>
                sort.key === 'customer'
                  ? r.customerName
                  : sort.key === 'salesRep'
                    ? (r.salesRep ?? '')
                    : sort.key === 'balance'
                      ? r.balance
                      : (r.buckets[sort.key]?.balance ?? 0);
              const [vx, vy] = [value(x), value(y)];
              const order =
                typeof vx === 'number' && typeof vy === 'number' ? vx - vy : String(vx).localeCompare(String(vy));
              return sort.desc ? -order : order;
            });
            return (
              <Table.ScrollContainer minWidth={900}>
                <Table striped data-testid="aging-table">
                  <Table.Thead>
                    <Table.Tr>
                      {th('customer', t('invoices.customer'))}
                      {th('salesRep', t('filters.salesRep'))}
                      {a.buckets.map((b, i) => (
                        <Fragment key={b.key}>
                          {th(
                            i,
                            b.key === 'notDue' ? t('dashboard.buckets.notDue') : t('reports.days', { range: b.key }),
                            true,
                          )}
                        </Fragment>
                      ))}
                      {th('balance', t('invoices.balance'), true)}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r) => (
                      <Table.Tr key={`${r.customerId}-${r.currency}`} data-customer={r.customerCode}>
                        <Table.Td>
                          <Link to={`/customers/${r.customerId}`}>{r.customerName}</Link>
                        </Table.Td>
                        <Table.Td>{r.salesRep ?? '—'}</Table.Td>
                        {r.buckets.map((c, i) => (
                          <Table.Td key={i} ta="right">
                            {c.balance ? money(c.balance, r.currency) : ''}
                          </Table.Td>
                        ))}
                        <Table.Td ta="right" fw={600} data-field="balance">
                          {money(r.balance, r.currency)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                  <Table.Tfoot>
                    {a.totals.map((tot) => (
                      <Table.Tr key={tot.currency}>
                        <Table.Th colSpan={2}>{t('reports.total')}</Table.Th>
                        {tot.buckets.map((c, i) => (
                          <Table.Th key={i} ta="right">
                            <Anchor component={Link} to={bucketLink(a.date, a.buckets[i]!, salesRep)} size="sm">
                              {money(c.balance, tot.currency)}
                            </Anchor>
                          </Table.Th>
                        ))}
                        <Table.Th ta="right">{money(tot.balance, tot.currency)}</Table.Th>
                      </Table.Tr>
                    ))}
                  </Table.Tfoot>
                </Table>
              </Table.ScrollContainer>
            );
          }}
        </QueryState>
      </Card>
    </Stack>
  );
}
