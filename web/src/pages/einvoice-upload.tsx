import { Alert, Badge, Button, CloseButton, Group, List, Stack, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client.ts';
import type { EInvoiceReport } from '../api/types.ts';
import { ErrorState } from '../components/states.tsx';
import { issueReasonText } from '../components/issue-text.ts';
import { FileDrop } from './file-drop.tsx';

/** The API takes at most this many files per request (MAX_UPLOAD_FILES in src/integrations/http-routes.ts). */
const MAX_FILES = 100;
const OUTCOME_COLORS = { imported: 'green', partly_imported: 'orange', rejected: 'red' } as const;

/** Factur-X, CII and UBL invoices and CDAR statuses, several files at once, with what became of each file. */
export function EInvoiceUpload() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const [report, setReport] = useState<EInvoiceReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const add = (more: File[]) => {
    setReport(null);
    setError(null);
    setFiles([...files, ...more].slice(0, MAX_FILES));
  };
  const upload = async (skipInvalid: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      for (const file of files) form.append('file', file);
      setReport(await api<EInvoiceReport>('POST', `/api/v1/integrations/einvoices?skipInvalid=${skipInvalid}`, form));
      setFiles([]);
      await client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // All or nothing by default: a refused file names itself in the error, and the others can then go in alone.
  const refused = error instanceof ApiError && error.status === 422 && files.length > 1;
  return (
    <Stack>
      <FileDrop
        accept={['.pdf', '.xml']}
        multiple
        description={t('einvoices.formats')}
        disabled={busy}
        onFiles={add}
        testId="einvoice-drop"
      />
      {files.length > 0 && (
        <List size="sm" spacing={2} data-testid="einvoice-files">
          {files.map((f, n) => (
            <List.Item key={`${f.name}-${n}`}>
              <Group gap={4}>
                {f.name}
                <CloseButton
                  size="xs"
                  aria-label={`${t('drop.clear')} ${f.name}`}
                  onClick={() => setFiles(files.filter((_, i) => i !== n))}
                />
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      <Group>
        <Button loading={busy} disabled={files.length === 0} onClick={() => void upload(false)}>
          {t('einvoices.run', { count: files.length })}
        </Button>
        {refused && (
          <Button color="orange" loading={busy} onClick={() => void upload(true)}>
            {t('einvoices.skipInvalid')}
          </Button>
        )}
      </Group>
      {error !== null && <ErrorState error={error} />}
      {report && (
        <Stack data-testid="einvoice-report" gap="xs">
          <Alert color={report.rejected.length > 0 ? 'orange' : 'green'}>
            {t('einvoices.summary', {
              invoices: t('counts.invoice', { count: report.invoices.length }),
              statuses: t('counts.status', { count: report.statuses.length }),
              rejected: report.rejected.length,
            })}
          </Alert>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('einvoices.file')}</Table.Th>
                <Table.Th>{t('einvoices.outcome')}</Table.Th>
                <Table.Th>{t('einvoices.invoices')}</Table.Th>
                <Table.Th>{t('einvoices.statuses')}</Table.Th>
                <Table.Th>{t('einvoices.reasons')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.files.map((f) => (
                <Table.Tr key={f.file} data-file={f.file} data-outcome={f.outcome}>
                  <Table.Td>{f.file}</Table.Td>
                  <Table.Td>
                    <Badge color={OUTCOME_COLORS[f.outcome]} style={{ minWidth: 'max-content' }}>
                      {t(`einvoices.outcomes.${f.outcome}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{f.invoices.join(', ') || '—'}</Table.Td>
                  <Table.Td>{f.statuses}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {report.rejected
                        .filter((r) => r.file === f.file)
                        .map((r) => issueReasonText({ field: f.file, ...r }, t, i18n))
                        .join(' · ')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  );
}
