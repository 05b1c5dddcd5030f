import { Anchor, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { RemindersRegisterSchema } from '../../../src/reports/schemas.ts';
import { download, get } from '../api/client.ts';
import { EmptyState, QueryState } from '../components/states.tsx';
import { count, date, money } from '../format.ts';
import { PageHeading } from '../components/PageHeading.tsx';

type Register = z.infer<typeof RemindersRegisterSchema>;
/** Rows drawn at once; the rest is in the exports (and narrowed by the customer filter). */
const SHOWN = 500;

/**
 * "Relances envoyées": each reminded invoice with its due date, lateness and balance today, then the date of each
 * level (named as the policy names it); the invoice opens its page, where each letter can be printed again. Exports and
 * the summary PDF give the whole register.
 */
export default function Sent() {
  const { t } = useTranslation();
  const [customer, setCustomer] = useState('');
  const [code] = useDebouncedValue(customer.trim(), 400);
  const query = useQuery({
    queryKey: ['reminders-register', code],
    queryFn: () => get<Register>('/api/v1/reports/reminders', code ? { customer: code } : {}),
  });
  const exportAs = (format: 'xlsx' | 'csv') =>
    void download(
      'GET',
      `/api/v1/reports/reminders/export?format=${format}${code ? `&customer=${encodeURIComponent(code)}` : ''}`,
      `relances.${format}`,
    );
  return (
    <Stack>
      <Group justify="space-between">
        <PageHeading title={t('sent.title')} />
        <Group gap="xs">
          <Button variant="default" onClick={() => exportAs('xlsx')}>
            Excel
          </Button>
          <Button variant="default" onClick={() => exportAs('csv')}>
            CSV
          </Button>
          <Button
            variant="default"
            onClick={() =>
              void download(
                'GET',
                `/api/v1/documents/summary${code ? `?customer=${encodeURIComponent(code)}` : ''}`,
                'synthese.pdf',
              )
            }
          >
            {t('sent.summaryPdf')}
          </Button>
        </Group>
      </Group>
      <TextInput
        label={t('filters.customer')}
        placeholder={t('filters.customerHint')}
        value={customer}
        w={220}
        onChange={(e) => setCustomer(e.currentTarget.value)}
      />
      <QueryState query={query}>
        {(register) =>
          register.rows.length === 0 ? (
            <EmptyState>{t('sent.empty')}</EmptyState>
          ) : (
            <Stack gap="xs">
              {register.rows.length > SHOWN && (
                <Text size="sm" c="dimmed">
                  {t('sent.more', { shown: count(SHOWN), total: count(register.rows.length) })}
                </Text>
              )}
              <Table striped data-testid="sent-register">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('invoices.number')}</Table.Th>
                    <Table.Th>{t('invoices.customer')}</Table.Th>
                    <Table.Th>{t('sent.dueDate')}</Table.Th>
                    <Table.Th ta="right">{t('sent.late')}</Table.Th>
                    <Table.Th ta="right">{t('sent.amount')}</Table.Th>
                    <Table.Th ta="right">{t('invoices.balance')}</Table.Th>
                    {register.levels.map((l) => (
                      <Table.Th key={l.level}>{l.label}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {register.rows.slice(0, SHOWN).map((r) => {
                    const sent = new Map(r.reminders.map((x) => [x.level, x.sentOn]));
                    return (
                      <Table.Tr key={r.invoiceId} data-number={r.number}>
                        <Table.Td>
                          <Anchor component={Link} to={`/invoices/${r.invoiceId}`}>
                            {r.number}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          {r.customerName}{' '}
                          <Text span size="xs" c="dimmed">
                            {r.customerCode}
                          </Text>
                        </Table.Td>
                        <Table.Td>{date(r.dueDate)}</Table.Td>
                        <Table.Td ta="right" data-field="late">
                          {r.daysOverdue > 0 ? t('sent.days', { count: r.daysOverdue }) : '—'}
                        </Table.Td>
                        <Table.Td ta="right" data-field="total">
                          {money(r.total, r.currency)}
                        </Table.Td>
                        <Table.Td ta="right" data-field="balance">
                          {money(r.balance, r.currency)}
                        </Table.Td>
                        {register.levels.map((l) => (
                          <Table.Td key={l.level}>{date(sent.get(l.level))}</Table.Td>
                        ))}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
