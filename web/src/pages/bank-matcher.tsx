import { Alert, Badge, Button, Checkbox, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../api/client.ts';
import type { BankLine, InvoiceListItem, Page } from '../api/types.ts';
import { ErrorState, Spinner } from '../components/states.tsx';
import { date, money } from '../format.ts';

type Why = 'reference' | 'amount';
type Candidate = InvoiceListItem & { why: Why[] };

/** Upper case letters and digits only, as the server compares references: `F-2026/001` is `F2026001`. */
const normalise = (text: string) => text.toUpperCase().replace(/[^0-9A-Z]/g, '');
// Legal forms and filler words say nothing about who paid.
const NOISE = new Set([
  'SARL',
  'SAS',
  'SASU',
  'EURL',
  'SCI',
  'SNC',
  'STE',
  'SOCIETE',
  'ETS',
  'VIR',
  'VIREMENT',
  'SEPA',
  'FACTURE',
  'PAIEMENT',
]);

/** The words of a reference that may be invoice numbers (three characters or more, with a digit), as the server splits them. */
export function referenceTokens(reference: string | null): string[] {
  const words = (reference ?? '').split(/[\s,;:+()[\]{}"'|]+/).filter((w) => w.length >= 3 && /\d/.test(w));
  return [...new Set(words)].slice(0, 5);
}

/** The payer's name and, if it finds nobody, its telling words (a bank writes "SARL DUPONT ET FILS" for "Dupont & Fils"). */
function payerSearches(counterparty: string | null): string[] {
  if (!counterparty || counterparty.trim().length < 3) return [];
  const words = counterparty.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4 && !NOISE.has(w.toUpperCase()));
  return [counterparty.trim().slice(0, 200), ...words.sort((a, b) => b.length - a.length).slice(0, 2)];
}

const openInvoices = (q: string, limit = 50) =>
  get<Page<InvoiceListItem>>('/api/v1/invoices', { status: 'open', q, limit }).then((p) => p.items);

/**
 * Open invoices the credit may pay, found with the invoice list's search (number prefix, customer code or
 * name): those whose number is written in the reference, then the payer's whose balance is the amount, else
 * any whose balance is the amount.
 */
async function suggest(line: BankLine): Promise<Candidate[]> {
  const found = new Map<string, Candidate>();
  const add = (invoice: InvoiceListItem, why: Why) => {
    if (invoice.currency !== line.currency || invoice.balance <= 0) return;
    const known = found.get(invoice.id) ?? { ...invoice, why: [] };
    if (!known.why.includes(why)) known.why.push(why);
    found.set(invoice.id, known);
  };
  const reference = normalise(line.reference ?? '');
  const byNumber = await Promise.all(referenceTokens(line.reference).map((token) => openInvoices(token, 20)));
  for (const invoice of byNumber.flat()) if (reference.includes(normalise(invoice.number))) add(invoice, 'reference');
  let payersAmount = false;
  for (const q of payerSearches(line.counterparty)) {
    const items = await openInvoices(q, 200);
    for (const invoice of items) {
      if (invoice.balance !== line.amount) continue;
      add(invoice, 'amount');
      payersAmount = true;
    }
    if (items.length > 0) break;
  }
  // A payer the bank names differently, or one paying for another company of its group: any open invoice of
  // exactly that amount, when the payer's own invoices have none.
  if (!payersAmount) {
    const sameAmount = await get<Page<InvoiceListItem>>('/api/v1/invoices', {
      status: 'open',
      balance: line.amount,
      limit: 10,
    });
    for (const invoice of sameAmount.items) add(invoice, 'amount');
  }
  return [...found.values()];
}

function InvoiceRows({
  rows,
  chosen,
  toggle,
  line,
}: {
  rows: (InvoiceListItem & { why?: Why[] })[];
  chosen: Map<string, InvoiceListItem>;
  toggle(invoice: InvoiceListItem): void;
  line: BankLine;
}) {
  const { t } = useTranslation();
  return (
    <Table highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={40} />
          <Table.Th>{t('bank.invoice')}</Table.Th>
          <Table.Th>{t('bank.customer')}</Table.Th>
          <Table.Th>{t('bank.dueDate')}</Table.Th>
          <Table.Th ta="right">{t('bank.balance')}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((invoice) => (
          <Table.Tr key={invoice.id} data-number={invoice.number}>
            <Table.Td>
              <Checkbox
                aria-label={`${t('bank.invoice')} ${invoice.number}`}
                checked={chosen.has(invoice.id)}
                onChange={() => toggle(invoice)}
              />
            </Table.Td>
            <Table.Td>{invoice.number}</Table.Td>
            <Table.Td>
              {invoice.customerName}{' '}
              <Text span size="xs" c="dimmed">
                {invoice.customerCode}
              </Text>
            </Table.Td>
            <Table.Td>{date(invoice.dueDate)}</Table.Td>
            <Table.Td ta="right" fw={invoice.balance === line.amount ? 600 : undefined}>
              {money(invoice.balance, invoice.currency)}
            </Table.Td>
            <Table.Td>
              {(invoice.why ?? []).map((w) => (
                <Badge key={w} size="sm" variant="light" mr={4}>
                  {t(`bank.why.${w}`)}
                </Badge>
              ))}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Picking the invoices a credit pays: suggestions first, any open invoice by search, the sum against the amount, then the match. */
export function BankMatcher({ line, onDone }: { line: BankLine; onDone(): void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [chosen, setChosen] = useState(new Map<string, InvoiceListItem>());
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 250);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const suggestions = useQuery({ queryKey: ['bank-suggestions', line.id], queryFn: () => suggest(line), staleTime: 0 });
  const search = useQuery({ queryKey: ['bank-search', q], queryFn: () => openInvoices(q, 20), enabled: q.length > 0 });

  const toggle = (invoice: InvoiceListItem) => {
    const next = new Map(chosen);
    if (next.has(invoice.id)) next.delete(invoice.id);
    else next.set(invoice.id, invoice);
    setChosen(next);
  };
  const picked = [...chosen.values()];
  const total = picked.reduce((sum, i) => sum + i.balance, 0);
  const customers = new Set(picked.map((i) => i.customerId));
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      // Earliest due first: a credit smaller than the sum settles the oldest debt.
      const numbers = picked.sort((a, b) => a.dueDate.localeCompare(b.dueDate)).map((i) => i.number);
      await api('POST', `/api/v1/bank-lines/${line.id}/match`, { invoices: numbers });
      notifications.show({ color: 'green', message: t('bank.matchedDone', { invoices: numbers.join(', ') }) });
      await client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const others = (search.data ?? []).filter(
    (i) => i.currency === line.currency && !suggestions.data?.some((s) => s.id === i.id),
  );
  return (
    <Stack data-testid="bank-matcher">
      <Text size="sm">
        {line.counterparty ?? '—'} · {line.reference ?? '—'}
      </Text>
      <Text fw={600}>{t('bank.suggestions')}</Text>
      {suggestions.isPending ? (
        <Spinner size="sm" />
      ) : suggestions.isError ? (
        <ErrorState error={suggestions.error} />
      ) : suggestions.data!.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('bank.noSuggestion')}
        </Text>
      ) : (
        <InvoiceRows rows={suggestions.data!} chosen={chosen} toggle={toggle} line={line} />
      )}
      <TextInput
        label={t('bank.search')}
        placeholder={t('bank.searchHint')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        data-autofocus
        rightSection={search.isFetching ? <Loader size="xs" /> : null}
      />
      {search.isError ? (
        <ErrorState error={search.error} />
      ) : (
        q &&
        search.data &&
        (others.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('bank.noResult')}
          </Text>
        ) : (
          <InvoiceRows rows={others} chosen={chosen} toggle={toggle} line={line} />
        ))
      )}
      {picked.length > 0 && (
        <Alert
          color={customers.size > 1 ? 'red' : total === line.amount ? 'green' : 'yellow'}
          data-testid="bank-selection"
        >
          {t('bank.selection', {
            count: picked.length,
            total: money(total, line.currency),
            amount: money(line.amount, line.currency),
          })}
          {customers.size > 1
            ? ` ${t('bank.oneCustomer')}`
            : total < line.amount
              ? ` ${t('bank.over', { amount: money(line.amount - total, line.currency) })}`
              : total > line.amount
                ? ` ${t('bank.under', { amount: money(total - line.amount, line.currency) })}`
                : ''}
        </Alert>
      )}
      {error !== null && <ErrorState error={error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button loading={busy} disabled={picked.length === 0 || customers.size > 1} onClick={() => void confirm()}>
          {t('bank.confirm')}
        </Button>
      </Group>
    </Stack>
  );
}
