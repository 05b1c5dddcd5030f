import { ActionIcon, Button, Card, Group, Radio, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, download, get } from '../api/client.ts';
import type { InvoiceFilters, InvoiceListItem, Page } from '../api/types.ts';
import { ExportMenu } from '../components/ExportMenu.tsx';
import { InvoiceWorkspace, type WorkspaceApi } from '../components/InvoiceWorkspace.tsx';
import { useInvoiceFilters } from '../components/invoice-query.ts';
import { stoppedText } from '../components/issue-text.ts';
import { ErrorState } from '../components/states.tsx';
import { count, moneyMap } from '../format.ts';
import { useCanCollect } from '../session.tsx';
import { categoryLabel } from './category-label.ts';
import { useCategories } from './relances-data.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import { PrintChoice, type PrintChoiceValue } from './print-choice.tsx';
import { errorText } from '../api/error-text.ts';

type Dispatch = {
  sent: number;
  failed: number;
  notSent: number;
  retried: number;
  stopped: string | null;
  stoppedReason?: { code: string; params: Record<string, string | number> } | null;
};
type SendAnswer = {
  run: { id: string } | null;
  communications: number;
  reminders: number;
  emails: number;
  letters: number;
  smtpConfigured: boolean;
  notSent: { invoice: string; reason: string }[];
  dispatch: Dispatch | null;
};
const MAX = 5_000;
/** Levels in order (each followed by its "en cours"), then overdue before the first step, the held ones, out of cycle last. */
function orderCategories<T extends { key: string }>(list: T[]): T[] {
  const rank = (key: string) => {
    const level = /^level-(\d+)(-in-progress)?$/.exec(key);
    if (level) return Number(level[1]) * 2 + (level[2] ? 1 : 0);
    return key === 'upcoming' ? 1_000 : key.startsWith('held-') ? 2_000 : 3_000;
  };
  return [...list].sort((a, b) => rank(a.key) - rank(b.key) || (a.key < b.key ? -1 : 1));
}

/** Invoice ids of the selection; "all matching" is read page by page (a send takes at most 5 000 invoices). */
async function idsOf(ws: WorkspaceApi): Promise<string[]> {
  if (!ws.selection.allMatching) return [...ws.selection.selected.keys()];
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await get<Page<InvoiceListItem>>('/api/v1/invoices', { ...ws.filters, cursor, limit: 500 });
    ids.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ids.length <= MAX);
  return ids;
}

export default function Relances() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useInvoiceFilters();
  const categories = useCategories();
  const canCollect = useCanCollect();
  const client = useQueryClient();
  const [mode, setMode] = useState<'pdf' | 'email'>('pdf');

  const printLetters = async (ids: string[], copies = false) => {
    const file = await download('POST', '/api/v1/documents/letters', 'relances.pdf', { invoiceIds: ids, copies });
    notifications.show({ color: 'green', message: t('relances.pdfReady', { name: file.name }) });
  };
  /** Printed and posted now: recorded as letters of today's run (as `relance run --letters`), then its batch. */
  const printAndRecord = async (ids: string[], copies: boolean, done?: () => void) => {
    const run = await api<SendAnswer>('POST', '/api/v1/reminders/send', { invoiceIds: ids, emailsAs: 'letter' });
    done?.();
    await client.invalidateQueries();
    if (!run.run || run.letters === 0) {
      notifications.show({ color: 'orange', message: t('relances.nothingDue') });
      return;
    }
    const file = await download('GET', `/api/v1/runs/${run.run.id}/letters?copies=${copies}`, 'relances.pdf');
    notifications.show({
      color: 'green',
      message: t('relances.printRecorded', { count: run.reminders, name: file.name }),
      'data-testid': 'print-result',
    } as Parameters<typeof notifications.show>[0]);
  };
  const sendEmails = async (ids: string[], emailsAs: 'email' | 'letter' = 'email', done?: () => void) => {
    const run = await api<SendAnswer>('POST', '/api/v1/reminders/send', { invoiceIds: ids, emailsAs });
    // What was sent leaves its category: a selection kept would point at rows no longer listed.
    done?.();
    const sent = run.dispatch ?? { sent: 0, failed: 0, notSent: 0, retried: 0, stopped: null };
    await client.invalidateQueries();
    const text =
      t('relances.sentResult', {
        reminders: run.reminders,
        communications: run.communications,
        sent: sent.sent,
        failed: sent.failed,
        notSent: sent.notSent,
      }) + (sent.stopped ? ` ${stoppedText(sent, t, i18n)}` : '');
    // Steps sent by post are recorded with the run's batch of letters: offered here, to print and post.
    const letters = run.run && run.letters > 0 ? run.run.id : null;
    const printRun = (id: string) =>
      download('GET', `/api/v1/runs/${id}/letters`, 'relances.pdf').catch((error: unknown) =>
        notifications.show({ color: 'red', message: errorText(error) }),
      );
    notifications.show({
      color: sent.failed > 0 || sent.stopped ? 'orange' : 'green',
      autoClose: letters ? false : 8000,
      'data-testid': 'send-result',
      message: letters ? (
        <Stack gap={6}>
          <Text size="sm">{text}</Text>
          <Button size="xs" variant="light" data-testid="download-run-letters" onClick={() => void printRun(letters)}>
            {t('relances.downloadLetters', { count: run.letters })}
          </Button>
        </Stack>
      ) : (
        text
      ),
    } as Parameters<typeof notifications.show>[0]);
  };

  /** Says what will happen before anything is sent: a dry run of the same invoices gives the exact counts. */
  const confirm = async (ids: string[], how: 'pdf' | 'email', done?: () => void) => {
    if (ids.length === 0) return;
    if (ids.length > MAX) {
      notifications.show({ color: 'red', message: t('relances.tooMany') });
      return;
    }
    let body: ReactNode;
    // No SMTP server: said plainly before anything is recorded, and the reminders may still go by post.
    let byPost = false;
    const choice: PrintChoiceValue = { record: false, copies: false };
    try {
      if (how === 'pdf') body = <PrintChoice count={ids.length} onChange={(v) => Object.assign(choice, v)} />;
      else {
        const dry = await api<SendAnswer>('POST', '/api/v1/reminders/send', { invoiceIds: ids, dryRun: true });
        byPost = dry.reminders > 0 && dry.emails > 0 && !dry.smtpConfigured;
        body =
          dry.reminders === 0
            ? t('relances.nothingDue')
            : byPost
              ? t('relances.noSmtp', { reminders: dry.reminders, emails: dry.emails })
              : t('relances.confirmEmail', {
                  count: ids.length,
                  reminders: dry.reminders,
                  emails: dry.emails,
                  letters: dry.letters,
                  skipped: dry.notSent.length,
                });
      }
    } catch (error) {
      notifications.show({ color: 'red', message: errorText(error) });
      return;
    }
    modals.openConfirmModal({
      title: how === 'pdf' ? t('relances.generatePdf') : t('relances.sendEmails'),
      children:
        how === 'pdf' ? (
          body
        ) : (
          <Text size="sm" data-testid="confirm-text">
            {body}
          </Text>
        ),
      labels: {
        confirm: how === 'pdf' ? t('relances.download') : byPost ? t('relances.sendByPost') : t('relances.send'),
        cancel: t('common.cancel'),
      },
      confirmProps: { 'data-testid': 'confirm-generate' } as Record<string, string>,
      onConfirm: () => {
        (how === 'email'
          ? sendEmails(ids, byPost ? 'letter' : 'email', done)
          : choice.record
            ? printAndRecord(ids, choice.copies, done)
            : printLetters(ids, choice.copies)
        ).catch((error: unknown) => notifications.show({ color: 'red', message: errorText(error) }));
      },
    });
  };

  const cats = orderCategories(categories.data?.categories ?? []).map((c) => ({
    ...c,
    label: categoryLabel(c, t),
  }));
  // The view lists what is in a reminder category (eKo's document list filtered on "Relance"): the first one until another is picked.
  const shown: InvoiceFilters = filters.category || !cats[0] ? filters : { ...filters, category: cats[0].key };
  const pick = (key: string) => setFilters({ ...filters, category: key } as InvoiceFilters);
  return (
    <Stack>
      <PageHeading title={t('relances.title')} />
      {categories.isError && <ErrorState error={categories.error} />}
      <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} data-testid="categories">
        {cats.map((c) => (
          <Card
            key={c.key}
            withBorder
            padding="sm"
            component="button"
            onClick={() => pick(c.key)}
            style={{
              cursor: 'pointer',
              textAlign: 'left',
              outline: shown.category === c.key ? '2px solid var(--mantine-color-indigo-6)' : undefined,
            }}
            data-category={c.key}
          >
            <Text fw={600} size="sm">
              {c.label}
            </Text>
            <Text size="xl" fw={700} data-field="count">
              {count(c.count)}
            </Text>
            <Text size="sm" c="dimmed">
              {moneyMap(c.balance)}
            </Text>
          </Card>
        ))}
        {categories.isSuccess && cats.length === 0 && <Text c="dimmed">{t('relances.noCategory')}</Text>}
      </SimpleGrid>
      {categories.isPending ? null : (
        <InvoiceWorkspace
          filters={shown}
          onFilters={setFilters}
          categories={cats}
          toolbar={(ws) => (
            <Group gap="xs">
              <ExportMenu filters={ws.filters} name="relances" />
              {canCollect && (
                <>
                  <Radio.Group value={mode} onChange={(v) => setMode(v as 'pdf' | 'email')} name="mode">
                    <Group gap="sm">
                      <Radio value="pdf" label={t('relances.modePdf')} />
                      <Radio value="email" label={t('relances.modeEmail')} />
                    </Group>
                  </Radio.Group>
                  <Button
                    data-testid="generate"
                    disabled={ws.selection.selected.size === 0 && !ws.selection.allMatching}
                    onClick={async () => confirm(await idsOf(ws), mode, ws.selection.clear)}
                  >
                    {t('relances.generate')}
                  </Button>
                </>
              )}
            </Group>
          )}
          rowActions={(row) => (
            <Group gap={4} wrap="nowrap">
              <Tooltip label={t('relances.openInvoice')}>
                <ActionIcon
                  variant="subtle"
                  component={Link}
                  to={`/invoices/${row.id}`}
                  aria-label={t('relances.openInvoice')}
                >
                  ↗
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('relances.pdfReminder')}>
                <ActionIcon
                  variant="subtle"
                  aria-label={t('relances.pdfReminder')}
                  onClick={() =>
                    printLetters([row.id]).catch((e: unknown) =>
                      notifications.show({ color: 'red', message: errorText(e) }),
                    )
                  }
                >
                  PDF
                </ActionIcon>
              </Tooltip>
              {canCollect && (
                <Tooltip label={t('relances.sendEmail')}>
                  <ActionIcon
                    variant="subtle"
                    aria-label={t('relances.sendEmail')}
                    onClick={() => confirm([row.id], 'email')}
                  >
                    @
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
          )}
        />
      )}
    </Stack>
  );
}
