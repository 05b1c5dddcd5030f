import { Alert, Button, FileInput, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { ImportReport } from '../api/types.ts';
import { ErrorState } from '../components/states.tsx';
import { EInvoiceUpload } from './einvoice-upload.tsx';

/** The columns of each file (README "CSV formats"); optional ones may stay unmapped. */
const FORMATS = {
  customers: { required: ['code', 'name', 'kind', 'email'], optional: ['siren', 'vat', 'address1', 'address2', 'postcode', 'city', 'country',
    'language', 'sales_rep', 'phone'] },
  invoices: { required: ['number', 'customer', 'issue_date', 'due_date', 'total', 'currency'], optional: ['total_excl_tax', 'title', 'sales_rep'] },
  payments: { required: ['invoice', 'date', 'amount', 'method'], optional: ['reference'] },
  'credit-notes': { required: ['number', 'customer', 'date', 'total', 'invoice'], optional: ['reason'] },
  quotes: { required: ['number', 'customer', 'date', 'valid_until', 'total'], optional: ['currency', 'status'] },
} as const;
type Kind = keyof typeof FORMATS;

type Header = { bytes: Uint8Array; end: number; separator: string; columns: string[] };

/** The header line of the file, read from its bytes so the rest keeps its encoding (UTF-8 or Windows-1252). */
async function readHeader(file: File): Promise<Header> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let end = bytes.indexOf(10);
  if (end < 0) end = bytes.length;
  const line = new TextDecoder('windows-1252').decode(bytes.subarray(0, end)).replace(/^\u00ef\u00bb\u00bf|^\ufeff/, '').replace(/\r$/, '');
  const separator = (line.match(/;/g)?.length ?? 0) > (line.match(/,/g)?.length ?? 0) ? ';' : ',';
  return { bytes, end, separator, columns: line.split(separator).map((c) => c.trim().replace(/^"|"$/g, '')) };
}

/** The same file with the header renamed as mapped: the server then reads the expected column names. */
function remapped(header: Header, mapping: Record<string, string | null>, name: string): File {
  const names = header.columns.map((column) => Object.entries(mapping).find(([, source]) => source === column)?.[0] ?? column);
  const head = new TextEncoder().encode(names.join(header.separator) + (header.bytes[header.end - 1] === 13 ? '\r' : ''));
  return new File([head, header.bytes.slice(header.end)], name, { type: 'text/csv' });
}

export default function Import() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'csv' | 'einvoices'>('csv');
  const modes = (
    <SegmentedControl w="fit-content" value={mode} onChange={(v) => setMode(v as 'csv' | 'einvoices')} data-testid="import-mode"
      data={[{ value: 'csv', label: t('einvoices.csv') }, { value: 'einvoices', label: t('einvoices.mode') }]} />
  );
  return mode === 'einvoices'
    ? <Stack maw={1000}><Title order={2}>{t('import.title')}</Title>{modes}<EInvoiceUpload /></Stack>
    : <CsvImport modes={modes} />;
}

function CsvImport({ modes }: { modes: ReactNode }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [kind, setKind] = useState<Kind>('invoices');
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<Header | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const choose = async (next: File | null, nextKind = kind) => {
    setFile(next);
    setReport(null);
    setError(null);
    if (!next) return setHeader(null);
    const h = await readHeader(next);
    setHeader(h);
    const format = FORMATS[nextKind];
    setMapping(Object.fromEntries([...format.required, ...format.optional].map((c) => [c, h.columns.find((x) => x.toLowerCase() === c) ?? null])));
  };
  const upload = async (dryRun: boolean, skipInvalid = false) => {
    if (!file || !header) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', remapped(header, mapping, file.name));
      setReport(await api<ImportReport>('POST', `/api/v1/import/${kind}?dryRun=${dryRun}&skipInvalid=${skipInvalid}`, form));
      if (!dryRun) await client.invalidateQueries();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const format = FORMATS[kind];
  const missing = format.required.filter((c) => !mapping[c]);
  return (
    <Stack maw={1000}>
      <Title order={2}>{t('import.title')}</Title>
      {modes}
      <Group align="end">
        <Select label={t('import.kind')} value={kind} allowDeselect={false} w={200}
          data={(Object.keys(FORMATS) as Kind[]).map((k) => ({ value: k, label: t(`import.kinds.${k}`) }))}
          onChange={(v) => { if (v) { setKind(v as Kind); void choose(file, v as Kind); } }} />
        <FileInput label={t('import.file')} accept=".csv,text/csv" value={file} onChange={(f) => void choose(f)} w={320} clearable />
      </Group>
      {header && (
        <>
          <Title order={4}>{t('import.mapping')}</Title>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            {[...format.required, ...format.optional].map((column) => (
              <Select key={column} label={`${column}${(format.required as readonly string[]).includes(column) ? ' *' : ''}`} clearable
                value={mapping[column] ?? null} data={header.columns} onChange={(v) => setMapping({ ...mapping, [column]: v })} />
            ))}
          </SimpleGrid>
          {missing.length > 0 && <Alert color="yellow">{t('import.missing', { columns: missing.join(', ') })}</Alert>}
          <Group>
            <Button variant="default" loading={busy} onClick={() => void upload(true)}>{t('import.check')}</Button>
            <Button loading={busy} disabled={!report || report.badRows > 0} onClick={() => void upload(false)}>{t('import.run')}</Button>
            {report && report.badRows > 0 && <Button color="orange" loading={busy} onClick={() => void upload(false, true)}>{t('import.skipInvalid')}</Button>}
          </Group>
        </>
      )}
      {error !== null && <ErrorState error={error} />}
      {report && (
        <Stack data-testid="import-report">
          <Alert color={report.badRows > 0 ? 'orange' : 'green'}>
            {t(report.dryRun ? 'import.summaryDry' : 'import.summary', { rows: report.rows, created: report.created, updated: report.updated,
              unchanged: report.unchanged, bad: report.badRows })}
          </Alert>
          {report.issues.length > 0 && (
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('common.line')}</Table.Th><Table.Th>{t('import.column')}</Table.Th>
                <Table.Th>{t('import.value')}</Table.Th><Table.Th>{t('import.reason')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>{report.issues.slice(0, 500).map((i, n) => (
                <Table.Tr key={n}><Table.Td>{i.line ?? '—'}</Table.Td><Table.Td>{i.field}</Table.Td><Table.Td>{i.value ?? ''}</Table.Td>
                  <Table.Td>{i.reason}</Table.Td></Table.Tr>
              ))}</Table.Tbody>
            </Table>
          )}
          {report.ignoredColumns.length > 0 && <Text size="sm" c="dimmed">{t('import.ignored', { columns: report.ignoredColumns.join(', ') })}</Text>}
        </Stack>
      )}
    </Stack>
  );
}
