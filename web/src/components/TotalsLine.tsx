import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Totals } from '../api/types.ts';
import { count, money } from '../format.ts';

/**
 * "12 factures · HT … · TTC … · Solde …", one line per currency; for a search matching more than the server
 * counts (`moreThan`), "Plus de 1 000 factures" and no amounts.
 */
export function TotalsLine({
  label,
  totals,
  moreThan,
  testId,
}: {
  label: string;
  totals: Totals | undefined;
  moreThan?: number;
  testId: string;
}) {
  const { t } = useTranslation();
  if (moreThan !== undefined)
    return (
      <div data-testid={testId}>
        <Group gap="lg" wrap="wrap">
          <Text fw={600} w={110}>
            {label}
          </Text>
          <Text data-field="count">{t('invoices.moreThan', { formatted: count(moreThan) })}</Text>
        </Group>
      </div>
    );
  const rows =
    totals && totals.length > 0 ? totals : [{ currency: 'EUR', count: 0, totalExclTax: 0, total: 0, balance: 0 }];
  return (
    <div data-testid={testId}>
      {rows.map((r) => (
        <Group key={r.currency} gap="lg" wrap="wrap">
          <Text fw={600} w={110}>
            {label}
          </Text>
          <Text data-field="count">{t('invoices.count', { count: r.count, formatted: count(r.count) })}</Text>
          <Text>
            {t('invoices.exclTax')} <b data-field="totalExclTax">{money(r.totalExclTax, r.currency)}</b>
          </Text>
          <Text>
            {t('invoices.inclTax')} <b data-field="total">{money(r.total, r.currency)}</b>
          </Text>
          <Text>
            {t('invoices.balance')} <b data-field="balance">{money(r.balance, r.currency)}</b>
          </Text>
        </Group>
      ))}
    </div>
  );
}
