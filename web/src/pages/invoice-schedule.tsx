import { Card, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InvoiceDetail } from '../api/types.ts';
import { date, money } from '../format.ts';

/** The invoice's payment schedule, when it has one (typed in, or asked for on the payment page and accepted). */
export function InvoiceSchedule({ invoice }: { invoice: InvoiceDetail }) {
  const { t } = useTranslation();
  if (!invoice.schedule) return null;
  return (
    <Card withBorder data-testid="invoice-schedule">
      <Title order={4} mb="xs">
        {t('invoiceSchedule.title')}
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('invoiceSchedule.seq')}</Table.Th>
            <Table.Th>{t('invoiceSchedule.dueDate')}</Table.Th>
            <Table.Th ta="right">{t('invoiceSchedule.amount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoice.schedule.instalments.map((i) => (
            <Table.Tr key={i.seq}>
              <Table.Td>{i.seq}</Table.Td>
              <Table.Td>{date(i.dueDate)}</Table.Td>
              <Table.Td ta="right">{money(i.amount, invoice.currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
