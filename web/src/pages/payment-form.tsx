import { Button, Checkbox, Group, Paper, Select, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import { localToday, parseAmount } from '../format.ts';
import { errorText } from '../api/error-text.ts';

type CustomerItem = { id: string; code: string; name: string };
type OpenInvoice = { id: string; dueDate: string; number: string; balance: number; currency: string };
const METHODS = ['transfer', 'cheque', 'card', 'direct_debit', 'cash', 'other'];

/**
 * A payment typed by hand (a cheque received by post, cash at the counter): allocated to the customer's open invoices
 * oldest first, or kept as credit on the account when the box is unticked.
 */
export function PaymentForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 300);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [payDate, setPayDate] = useState(localToday);
  const [method, setMethod] = useState<string>('cheque');
  const [reference, setReference] = useState('');
  const [allocate, setAllocate] = useState(true);
  const [busy, setBusy] = useState(false);
  const customers = useQuery({
    queryKey: ['payment-customers', term],
    queryFn: () => get<{ items: CustomerItem[] }>('/api/v1/customers', { q: term || undefined, limit: 20 }),
  });
  const options = (customers.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.code})` }));
  const submit = async () => {
    const cents = parseAmount(amount);
    if (!customerId) return notifications.show({ color: 'red', message: t('payments.chooseCustomer') });
    if (cents === null || cents <= 0) return notifications.show({ color: 'red', message: t('payments.badAmount') });
    setBusy(true);
    try {
      const allocations: { invoiceId: string; amount: number }[] = [];
      if (allocate) {
        const open = await get<{ items: OpenInvoice[] }>('/api/v1/invoices', {
          customerId,
          status: 'open',
          sort: 'dueDate',
          limit: 500,
        });
        let left = cents;
        for (const invoice of open.items) {
          if (left <= 0) break;
          const part = Math.min(left, invoice.balance);
          if (part > 0) allocations.push({ invoiceId: invoice.id, amount: part });
          left -= part;
        }
      }
      await api('POST', '/api/v1/payments', {
        customerId,
        date: payDate,
        amount: cents,
        method,
        reference: reference.trim() || null,
        allocations,
      });
      await client.invalidateQueries();
      setAmount('');
      setReference('');
      notifications.show({ color: 'green', message: t('payments.recorded') });
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="sm" data-testid="payment-form">
      <Title order={2} size="h5" mb="xs">
        {t('payments.record')}
      </Title>
      <Group align="end">
        <Select
          label={t('payments.customerSearch')}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: all }) => all}
          data={options}
          value={customerId}
          onChange={setCustomerId}
          w={280}
          data-testid="payment-customer"
        />
        <TextInput
          label={t('payments.amount')}
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
          w={120}
        />
        <TextInput
          label={t('payments.date')}
          type="date"
          value={payDate}
          onChange={(e) => setPayDate(e.currentTarget.value)}
        />
        <Select
          label={t('payments.method')}
          value={method}
          allowDeselect={false}
          onChange={(v) => v && setMethod(v)}
          data={METHODS.map((m) => ({ value: m, label: t(`enums.paymentMethod.${m}`, { ns: 'messages' }) }))}
          w={170}
        />
        <TextInput
          label={t('payments.reference')}
          value={reference}
          onChange={(e) => setReference(e.currentTarget.value)}
          w={160}
        />
        <Button onClick={() => void submit()} loading={busy}>
          {t('payments.record')}
        </Button>
      </Group>
      <Checkbox
        mt="xs"
        label={t('payments.allocate')}
        checked={allocate}
        onChange={(e) => setAllocate(e.currentTarget.checked)}
      />
    </Paper>
  );
}
