import { Alert, Button, Checkbox, Grid, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, get } from '../api/client.ts';
import type { CustomerListItem, InvoiceDetail, InvoiceListItem, Page } from '../api/types.ts';
import { ErrorState, QueryState } from '../components/states.tsx';
import { date, money } from '../format.ts';

type Draft = { level: number; label: string; to: string[]; cc: string[]; bcc: string[]; subject: string; message: string; attachments: string[] };
const list = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** Manual reminder (seed 003): one customer's invoices, recipients, CC/BCC, subject and message from the level's template. */
export default function Composer() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const preselected = (params.get('invoices') ?? '').split(',').filter(Boolean);
  const first = useQuery({ queryKey: ['invoice', preselected[0]], enabled: !params.get('customer') && preselected.length > 0,
    queryFn: () => get<InvoiceDetail>(`/api/v1/invoices/${preselected[0]}`) });
  const customerId = params.get('customer') ?? first.data?.customerId ?? null;
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q, 300);
  const customers = useQuery({ queryKey: ['customers', 'pick', search], enabled: !customerId,
    queryFn: () => get<Page<CustomerListItem>>('/api/v1/customers', { q: search, limit: 20 }) });
  if (first.isError) return <ErrorState error={first.error} />;
  return (
    <Stack>
      <Title order={2}>{t('composer.title')}</Title>
      {customerId ? <Form key={customerId} customerId={customerId} preselected={preselected} /> : (
        <Group align="end">
          <Select label={t('composer.customer')} searchable w={360} searchValue={q} onSearchChange={setQ} filter={({ options }) => options}
            data={(customers.data?.items ?? []).filter((c) => c.openInvoices > 0).map((c) => ({ value: c.id, label: `${c.code} · ${c.name}` }))}
            onChange={(v) => v && setParams({ customer: v })} />
        </Group>
      )}
    </Stack>
  );
}

function Form({ customerId, preselected }: { customerId: string; preselected: string[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const open = useQuery({ queryKey: ['invoices', 'customer', customerId],
    queryFn: () => get<Page<InvoiceListItem>>('/api/v1/invoices', { customerId, status: 'open', limit: 200, sort: 'dueDate' }) });
  const [chosen, setChosen] = useState<string[]>([]);
  // Invoices chosen elsewhere that belong to this customer and are still open; else its overdue ones.
  useEffect(() => {
    if (!open.data) return;
    const mine = open.data.items.filter((i) => preselected.includes(i.id)).map((i) => i.id);
    setChosen(mine.length > 0 ? mine : open.data.items.filter((i) => i.daysOverdue > 0).map((i) => i.id));
  }, [open.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const draft = useQuery({ queryKey: ['composer-draft', customerId, chosen], enabled: chosen.length > 0, retry: false,
    queryFn: () => api<Draft>('POST', '/api/v1/composer/draft', { customerId, invoiceIds: chosen }) });
  const [form, setForm] = useState({ to: '', cc: '', bcc: '', subject: '', message: '' });
  const [attach, setAttach] = useState({ letter: true, invoices: true });
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (draft.data) setForm({ to: draft.data.to.join(', '), cc: draft.data.cc.join(', '), bcc: draft.data.bcc.join(', '),
      subject: draft.data.subject, message: draft.data.message });
  }, [draft.data]);
  const send = async () => {
    setBusy(true);
    try {
      const answer = await api<{ level: number; dispatch: { sent: number; stopped: string | null } }>('POST', '/api/v1/composer/send', {
        customerId, invoiceIds: chosen, to: list(form.to), cc: list(form.cc), bcc: list(form.bcc), subject: form.subject,
        message: form.message, attachments: attach });
      await client.invalidateQueries();
      notifications.show({ color: answer.dispatch.sent > 0 ? 'green' : 'orange',
        message: answer.dispatch.sent > 0 ? t('composer.sent') : answer.dispatch.stopped ?? t('composer.queued') });
      navigate('/outbox');
    } catch (error) {
      notifications.show({ color: 'red', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  const input = (key: 'to' | 'cc' | 'bcc' | 'subject') => ({ label: t(`composer.${key}`), value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value }) });
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder p="sm">
          <Title order={5} mb="xs">{t('composer.invoices')}</Title>
          <QueryState query={open}>{(page) => (
            <Stack gap={4}>{page.items.map((i) => (
              <Checkbox key={i.id} checked={chosen.includes(i.id)}
                label={`${i.number} · ${date(i.dueDate)} · ${money(i.balance, i.currency)}`}
                onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, i.id] : chosen.filter((c) => c !== i.id))} />
            ))}</Stack>
          )}</QueryState>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        {chosen.length === 0 ? <Alert>{t('composer.chooseInvoices')}</Alert> : draft.isError ? <ErrorState error={draft.error} /> : (
          <Stack>
            {draft.data && <Text size="sm" c="dimmed">{t('composer.level', { label: draft.data.label, level: draft.data.level })}</Text>}
            <TextInput {...input('to')} />
            <Group grow><TextInput {...input('cc')} /><TextInput {...input('bcc')} /></Group>
            <TextInput {...input('subject')} />
            <Textarea label={t('composer.message')} autosize minRows={10} maxRows={24} value={form.message}
              onChange={(e) => setForm({ ...form, message: e.currentTarget.value })} />
            <Group>
              <Checkbox label={t('composer.attachLetter')} checked={attach.letter} onChange={(e) => setAttach({ ...attach, letter: e.currentTarget.checked })} />
              <Checkbox label={t('composer.attachInvoices')} checked={attach.invoices} onChange={(e) => setAttach({ ...attach, invoices: e.currentTarget.checked })} />
            </Group>
            {draft.data && <Text size="xs" c="dimmed">{t('composer.attachments')}: {draft.data.attachments.join(', ')}</Text>}
            <Group><Button onClick={() => void send()} loading={busy} disabled={!form.to || !form.subject || !draft.data}>{t('composer.send')}</Button></Group>
          </Stack>
        )}
      </Grid.Col>
    </Grid>
  );
}
