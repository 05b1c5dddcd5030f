import {
  Alert,
  Badge,
  Button,
  Checkbox,
  FileInput,
  Grid,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, get } from '../api/client.ts';
import type { CustomerListItem, InvoiceDetail, InvoiceListItem, Page } from '../api/types.ts';
import { HtmlPreview } from '../components/HtmlPreview.tsx';
import { stoppedText } from '../components/issue-text.ts';
import { ErrorState, QueryState } from '../components/states.tsx';
import { useTemplateKinds } from '../components/template-kinds.ts';
import { date, money } from '../format.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { errorText } from '../api/error-text.ts';

type Draft = {
  level: number;
  label: string;
  template: string;
  invoiceIds: string[];
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  message: string;
  html: string;
  attachments: string[];
};
type FileOut = { filename: string; contentType: string; base64: string };
const list = (text: string) => text.split(/[\s,;]+/).filter(Boolean);
// The server's limits for files added by hand (routes/composer.ts): 5 files of about 1 MB each.
const MAX_FILES = 5;
const MAX_FILE_BYTES = 1_000_000;

async function encode(file: File): Promise<FileOut> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return { filename: file.name, contentType: file.type || 'application/octet-stream', base64: btoa(binary) };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A typed message as the server turns it into HTML (mail/manual.ts textToHtml): escaped, paragraphs and line breaks kept. */
function typedHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** Manual reminder: one customer's invoices, recipients, CC/BCC, subject and message from the level's template. */
export default function Composer() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const preselected = (params.get('invoices') ?? '').split(',').filter(Boolean);
  const first = useQuery({
    queryKey: ['invoice', preselected[0]],
    enabled: !params.get('customer') && preselected.length > 0,
    queryFn: () => get<InvoiceDetail>(`/api/v1/invoices/${preselected[0]}`),
  });
  const customerId = params.get('customer') ?? first.data?.customerId ?? null;
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q, 300);
  const customers = useQuery({
    queryKey: ['customers', 'pick', search],
    enabled: !customerId,
    queryFn: () => get<Page<CustomerListItem>>('/api/v1/customers', { q: search, limit: 20 }),
  });
  if (first.isError) return <ErrorState error={first.error} />;
  return (
    <Stack>
      <PageHeading title={t('composer.title')} />
      {customerId ? (
        <Form key={customerId} customerId={customerId} preselected={preselected} />
      ) : (
        <Group align="end">
          <Select
            label={t('composer.customer')}
            searchable
            w={360}
            searchValue={q}
            onSearchChange={setQ}
            filter={({ options }) => options}
            data={(customers.data?.items ?? [])
              .filter((c) => c.openInvoices > 0)
              .map((c) => ({ value: c.id, label: `${c.code} · ${c.name}` }))}
            onChange={(v) => v && setParams({ customer: v })}
          />
        </Group>
      )}
    </Stack>
  );
}

function Form({ customerId, preselected }: { customerId: string; preselected: string[] }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const open = useQuery({
    queryKey: ['invoices', 'customer', customerId],
    queryFn: () =>
      get<Page<InvoiceListItem>>('/api/v1/invoices', { customerId, status: 'open', limit: 200, sort: 'dueDate' }),
  });
  const [chosen, setChosen] = useState<string[]>([]);
  // The first draft narrows a preselection spanning several levels to the most advanced one; a choice made by hand
  // is sent as chosen (and refused, in words, if it mixes levels).
  const [narrow, setNarrow] = useState(true);
  // Invoices chosen elsewhere that belong to this customer and are still open; else its overdue ones. A disputed
  // invoice is never reminded (the server refuses it), so it is shown but cannot be chosen.
  // Adjusted while rendering (not in an effect) when a new list arrives, so no stale choice is ever drawn.
  const [listSeen, setListSeen] = useState<typeof open.data>();
  if (open.data && open.data !== listSeen) {
    setListSeen(open.data);
    const remindable = open.data.items.filter((i) => !i.disputeReason);
    const mine = remindable.filter((i) => preselected.includes(i.id)).map((i) => i.id);
    setChosen(mine.length > 0 ? mine : remindable.filter((i) => i.daysOverdue > 0).map((i) => i.id));
  }
  // The level's template unless another is chosen (« vous pouvez choisir le modèle »).
  const [template, setTemplate] = useState<string | null>(null);
  const templateChoices = useTemplateKinds();
  const draft = useQuery({
    queryKey: ['composer-draft', customerId, chosen, template],
    enabled: chosen.length > 0,
    retry: false,
    queryFn: () =>
      api<Draft>('POST', '/api/v1/composer/draft', {
        customerId,
        invoiceIds: chosen,
        narrow,
        ...(template ? { template } : {}),
      }),
  });
  const [form, setForm] = useState({ to: '', cc: '', bcc: '', subject: '', message: '' });
  const [attach, setAttach] = useState({ letter: true, invoices: true });
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [draftSeen, setDraftSeen] = useState<typeof draft.data>();
  if (draft.data && draft.data !== draftSeen) {
    setDraftSeen(draft.data);
    if (narrow) {
      setNarrow(false);
      if (draft.data.invoiceIds.length !== chosen.length) setChosen(draft.data.invoiceIds);
    }
    setForm({
      to: draft.data.to.join(', '),
      cc: draft.data.cc.join(', '),
      bcc: draft.data.bcc.join(', '),
      subject: draft.data.subject,
      message: draft.data.message,
    });
  }
  const tooBig = files.find((f) => f.size > MAX_FILE_BYTES);
  const send = async () => {
    setBusy(true);
    try {
      // The template's own HTML goes out while the message is untouched; a typed message is sent as typed.
      const edited = form.message !== draft.data?.message;
      const answer = await api<{ level: number; dispatch: Parameters<typeof stoppedText>[0] & { sent: number } }>(
        'POST',
        '/api/v1/composer/send',
        {
          customerId,
          invoiceIds: chosen,
          to: list(form.to),
          cc: list(form.cc),
          bcc: list(form.bcc),
          subject: form.subject,
          message: edited ? form.message : undefined,
          ...(template ? { template } : {}),
          attachments: { ...attach, files: await Promise.all(files.map(encode)) },
        },
      );
      await client.invalidateQueries();
      notifications.show({
        color: answer.dispatch.sent > 0 ? 'green' : 'orange',
        message:
          answer.dispatch.sent > 0
            ? t('composer.sent')
            : (stoppedText(answer.dispatch, t, i18n) ?? t('composer.queued')),
      });
      navigate('/outbox');
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  const input = (key: 'to' | 'cc' | 'bcc' | 'subject') => ({
    label: t(`composer.${key}`),
    value: form[key],
    name: key,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  // "Standard" (level 0, a first sending) has no reminder letter: every attachment is an invoice.
  const [letterFile, ...invoiceFiles] =
    draft.data?.level === 0 ? [undefined, ...draft.data.attachments] : (draft.data?.attachments ?? []);
  const previewHtml = draft.data && (form.message === draft.data.message ? draft.data.html : typedHtml(form.message));
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder p="sm">
          <Title order={5} mb="xs">
            {t('composer.invoices')}
          </Title>
          <QueryState query={open}>
            {(page) => (
              <Stack gap={4} data-testid="composer-invoices">
                {page.items.map((i) => (
                  <Checkbox
                    key={i.id}
                    checked={chosen.includes(i.id)}
                    disabled={!!i.disputeReason}
                    value={i.number}
                    label={
                      <>
                        {`${i.number} · ${date(i.dueDate)} · ${money(i.balance, i.currency)}`}
                        {i.disputeReason && (
                          <Badge ml={6} size="xs" color="orange">
                            {t('invoices.disputed')}
                          </Badge>
                        )}
                      </>
                    }
                    onChange={(e) => {
                      setNarrow(false);
                      setChosen(e.currentTarget.checked ? [...chosen, i.id] : chosen.filter((c) => c !== i.id));
                    }}
                  />
                ))}
              </Stack>
            )}
          </QueryState>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        {chosen.length === 0 ? (
          <Alert>{t('composer.chooseInvoices')}</Alert>
        ) : draft.isError ? (
          <ErrorState error={draft.error} />
        ) : (
          <Stack>
            {draft.data && (
              <Group align="flex-end">
                <Text size="sm" c="dimmed">
                  {t('composer.level', { label: draft.data.label, level: draft.data.level })}
                </Text>
                <Select
                  label={t('templates.kind')}
                  name="template"
                  w={260}
                  allowDeselect={false}
                  data={templateChoices}
                  value={template ?? draft.data.template}
                  onChange={(v) => setTemplate(v)}
                />
              </Group>
            )}
            <TextInput {...input('to')} />
            <Group grow>
              <TextInput {...input('cc')} />
              <TextInput {...input('bcc')} />
            </Group>
            <TextInput {...input('subject')} />
            <Textarea
              label={t('composer.message')}
              name="message"
              autosize
              minRows={10}
              maxRows={24}
              value={form.message}
              onChange={(e) => setForm({ ...form, message: e.currentTarget.value })}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('composer.attachments')}
              </Text>
              <Checkbox
                label={`${t('composer.attachLetter')}${letterFile ? ` (${letterFile})` : ''}`}
                checked={attach.letter}
                onChange={(e) => setAttach({ ...attach, letter: e.currentTarget.checked })}
              />
              <Checkbox
                label={`${t('composer.attachInvoices')}${invoiceFiles.length ? ` (${invoiceFiles.join(', ')})` : ''}`}
                checked={attach.invoices}
                onChange={(e) => setAttach({ ...attach, invoices: e.currentTarget.checked })}
              />
              <FileInput
                multiple
                clearable
                label={t('composer.files')}
                placeholder={t('composer.filesHint', { count: MAX_FILES })}
                value={files}
                onChange={(f) => setFiles(f.slice(0, MAX_FILES))}
                data-testid="composer-files"
                error={tooBig ? t('composer.fileTooBig', { name: tooBig.name }) : undefined}
              />
            </Stack>
            <Group>
              <Button
                onClick={() => void send()}
                loading={busy}
                data-testid="composer-send"
                disabled={!form.to || !form.subject || !form.message.trim() || !draft.data || !!tooBig}
              >
                {t('composer.send')}
              </Button>
            </Group>
            {previewHtml !== undefined && (
              <Paper withBorder p="sm" data-testid="composer-preview">
                <Title order={5} mb="xs">
                  {t('composer.preview')}
                </Title>
                <Text fw={600} size="sm" mb="xs" data-testid="composer-preview-subject">
                  {form.subject}
                </Text>
                <HtmlPreview html={previewHtml} title={t('composer.preview')} />
              </Paper>
            )}
          </Stack>
        )}
      </Grid.Col>
    </Grid>
  );
}
