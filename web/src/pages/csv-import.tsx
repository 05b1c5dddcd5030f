import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { HEADER_ALIASES, type ImportFileKind } from '../../../src/import/header-aliases.ts';
import { PageHeading } from '../components/PageHeading.tsx';
import type { ImportReport } from '../api/types.ts';
import { apiErrorOf } from '../api/client.ts';
import { count as formatNumber } from '../format.ts';
import {
  initialMapping,
  previewCsv,
  rememberMapping,
  uploadCsv,
  type CsvPreview,
  type UploadProgress,
} from './csv-file.ts';
import { errorText } from '../api/error-text.ts';
import { hasMessageKey } from '../api/failure-text.ts';

/** Required fields of each file (README "CSV formats"); the others may stay unmapped. */
const REQUIRED: Record<ImportFileKind, readonly string[]> = {
  customers: ['code', 'name', 'kind', 'email'],
  invoices: ['number', 'customer', 'issue_date', 'due_date', 'total', 'currency'],
  payments: ['invoice', 'date', 'amount', 'method'],
  'credit-notes': ['number', 'customer', 'date', 'total', 'invoice'],
  quotes: ['number', 'customer', 'date', 'valid_until', 'total'],
};
const KINDS = Object.keys(HEADER_ALIASES) as ImportFileKind[];
const SHOWN_ISSUES = 500;

type Stage = {
  kind: 'check' | 'import';
  skipInvalid: boolean;
  progress: UploadProgress | null;
  startedAt: number;
  rowsAt: number | null;
};

export function CsvImport({ modes }: { modes: ReactNode }) {
  const { t, i18n } = useTranslation();
  const m = (key: string, options?: Record<string, unknown>) => t(key, { ns: 'messages', ...options });
  const client = useQueryClient();
  const [params] = useSearchParams();
  const asked = params.get('kind') as ImportFileKind | null;
  // A screen may open the import on its own kind of file (the quotes screen's "Importer des devis").
  const [kind, setKind] = useState<ImportFileKind>(asked && asked in HEADER_ALIASES ? asked : 'invoices');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [remembered, setRemembered] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [stage, setStage] = useState<Stage | null>(null);
  const stageRef = useRef<Stage | null>(null);

  const choose = async (next: File | null, nextKind = kind) => {
    setFile(next);
    setReport(null);
    setFailure(null);
    if (!next) return setPreview(null);
    const read = await previewCsv(next);
    setPreview(read);
    const initial = initialMapping(nextKind, read.headers);
    setMapping(initial.mapping);
    setRemembered(initial.remembered);
  };

  const upload = async (dryRun: boolean, skipInvalid = false) => {
    if (!file || !preview) return;
    rememberMapping(kind, preview.headers, mapping);
    const started: Stage = {
      kind: dryRun ? 'check' : 'import',
      skipInvalid,
      progress: null,
      startedAt: Date.now(),
      rowsAt: null,
    };
    stageRef.current = started;
    setStage(started);
    setFailure(null);
    try {
      const full = Object.fromEntries(
        Object.keys(HEADER_ALIASES[kind]).map((field) => [field, mapping[field] ?? null]),
      );
      const result = await uploadCsv(
        `/api/v1/import/${kind}?dryRun=${dryRun}&skipInvalid=${skipInvalid}`,
        file,
        full,
        (progress) => {
          const current = stageRef.current!;
          const next = {
            ...current,
            progress,
            rowsAt: current.rowsAt ?? (progress.phase === 'rows' ? Date.now() : null),
          };
          stageRef.current = next;
          setStage(next);
        },
      );
      if (result.report) setReport(result.report);
      else setFailure(errorText(apiErrorOf(result.status, result.problem ?? null)));
      if (!dryRun && result.report?.committed) await client.invalidateQueries();
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      stageRef.current = null;
      setStage(null);
    }
  };

  const fields = Object.keys(HEADER_ALIASES[kind]);
  const required = REQUIRED[kind];
  const missing = required.filter((f) => !mapping[f]);
  const used = new Set(Object.values(mapping).filter((h): h is string => h !== null));
  const reason = (issue: ImportReport['issues'][number]) =>
    issue.code && hasMessageKey(i18n, issue.code)
      ? m(issue.code, {
          ...issue.params,
          count: typeof issue.params?.count === 'number' ? issue.params.count : undefined,
        })
      : issue.reason;
  const columnOf = (field: string) =>
    report?.columns[field] ??
    (i18n.exists(`import.field.${field}`, { ns: 'messages' }) ? m(`import.field.${field}`) : field);
  const badLines = report
    ? new Set(report.issues.filter((i) => i.line !== undefined && i.line > 1).map((i) => i.line)).size
    : 0;
  return (
    <Stack maw={1100}>
      <PageHeading title={t('import.title')} />
      {modes}
      <Group align="end">
        <Select
          label={t('import.kind')}
          value={kind}
          allowDeselect={false}
          w={200}
          disabled={stage !== null}
          data-testid="import-kind"
          data={KINDS.map((k) => ({ value: k, label: t(`import.kinds.${k}`) }))}
          onChange={(v) => {
            if (v) {
              setKind(v as ImportFileKind);
              void choose(file, v as ImportFileKind);
            }
          }}
        />
        <FileInput
          label={t('import.file')}
          accept=".csv,.txt,text/csv"
          value={file}
          onChange={(f) => void choose(f)}
          w={320}
          clearable
          disabled={stage !== null}
          data-testid="import-file"
        />
      </Group>
      {preview && (
        <>
          <Group gap="xs">
            <Title order={4}>{t('import.mapping')}</Title>
            <Badge variant="light">{preview.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252'}</Badge>
            <Badge variant="light">{t('import.separator', { separator: preview.delimiter })}</Badge>
            {remembered && (
              <Badge color="teal" variant="light">
                {t('import.remembered')}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('import.mappingHelp')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} data-testid="import-mapping">
            {fields.map((field) => (
              <Select
                key={field}
                label={m(`import.field.${field}`)}
                withAsterisk={required.includes(field)}
                clearable
                description={
                  i18n.exists(`import.help.${field}`, { ns: 'messages' }) ? m(`import.help.${field}`) : undefined
                }
                placeholder={t('import.notImported')}
                value={mapping[field] ?? null}
                data-field={field}
                data={preview.headers
                  .filter((h) => h !== '')
                  .map((h) => ({ value: h, label: h, disabled: used.has(h) && mapping[field] !== h }))}
                onChange={(v) => {
                  setMapping({ ...mapping, [field]: v });
                  setReport(null);
                }}
              />
            ))}
          </SimpleGrid>
          {missing.length > 0 && (
            <Alert color="yellow">
              {t('import.missing', { columns: missing.map((f) => m(`import.field.${f}`)).join(', ') })}
            </Alert>
          )}
          {preview.rows.length > 0 && (
            <Table.ScrollContainer minWidth={600}>
              <Table withTableBorder fz="xs" data-testid="import-preview">
                <Table.Thead>
                  <Table.Tr>
                    {preview.headers.map((h, i) => (
                      <Table.Th key={i}>{h}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.rows.map((row, r) => (
                    <Table.Tr key={r}>
                      {preview.headers.map((_, c) => (
                        <Table.Td key={c}>{row[c] ?? ''}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Group>
            <Button
              variant="default"
              loading={stage?.kind === 'check'}
              disabled={stage !== null || missing.length > 0}
              onClick={() => void upload(true)}
            >
              {t('import.check')}
            </Button>
            <Button
              loading={stage?.kind === 'import' && !stage.skipInvalid}
              disabled={stage !== null || !report || report.issueCount > 0 || !report.dryRun}
              onClick={() => void upload(false)}
            >
              {t('import.run')}
            </Button>
            {report && report.dryRun && badLines > 0 && !report.headerProblem && (
              <Button
                color="orange"
                loading={stage?.skipInvalid}
                disabled={stage !== null}
                onClick={() => void upload(false, true)}
              >
                {t('import.skipInvalidCount', {
                  count: report.rows - badLines,
                  n: formatNumber(report.rows - badLines),
                })}
              </Button>
            )}
          </Group>
        </>
      )}
      {stage && <ImportProgress stage={stage} size={file?.size ?? 0} />}
      {failure !== null && (
        <Alert color="red" title={t('common.error')} role="alert">
          {failure}
        </Alert>
      )}
      {report && (
        <Stack data-testid="import-report">
          <Alert color={report.issueCount > 0 && !report.committed ? 'orange' : 'green'}>
            {report.headerProblem
              ? t('import.headerProblem')
              : t(
                  report.dryRun
                    ? badLines > 0
                      ? 'import.resultDryBad'
                      : 'import.resultDry'
                    : report.committed
                      ? 'import.result'
                      : 'import.resultNothing',
                  {
                    rows: t('import.rows', { count: report.rows, n: formatNumber(report.rows) }),
                    bad: t('import.badRows', { count: badLines, n: formatNumber(badLines) }),
                    created: formatNumber(report.created),
                    updated: formatNumber(report.updated),
                    unchanged: formatNumber(report.unchanged),
                  },
                )}
          </Alert>
          {report.issues.length > 0 && (
            <>
              <Title order={4}>
                {report.headerProblem
                  ? t('import.headerIssues')
                  : t('import.badRowsTitle', { count: badLines, n: formatNumber(badLines) })}
              </Title>
              <Table striped withTableBorder data-testid="import-issues">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('common.line')}</Table.Th>
                    <Table.Th>{t('import.column')}</Table.Th>
                    <Table.Th>{t('import.value')}</Table.Th>
                    <Table.Th>{t('import.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.issues.slice(0, SHOWN_ISSUES).map((issue, n) => (
                    <Table.Tr key={n}>
                      <Table.Td>
                        {issue.line === 1 && report.headerProblem ? t('import.headerLine') : (issue.line ?? '—')}
                      </Table.Td>
                      <Table.Td>{columnOf(issue.field)}</Table.Td>
                      <Table.Td>{issue.value ?? ''}</Table.Td>
                      <Table.Td>{reason(issue)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {report.issueCount > SHOWN_ISSUES && (
                <Text size="sm" c="dimmed">
                  {t('import.moreIssues', { shown: SHOWN_ISSUES, count: report.issueCount })}
                </Text>
              )}
            </>
          )}
          {report.warnings.slice(0, SHOWN_ISSUES).map((warning, n) => (
            <Text key={n} size="sm" c="orange" data-testid="import-warning">
              {t('import.warning', {
                line: warning.line,
                message: warning.code && hasMessageKey(i18n, warning.code) ? m(warning.code) : warning.message,
              })}
            </Text>
          ))}
          {report.ignoredColumns.length > 0 && (
            <Text size="sm" c="dimmed">
              {t('import.ignored', { columns: report.ignoredColumns.join(', ') })}
            </Text>
          )}
        </Stack>
      )}
    </Stack>
  );
}

/** Bytes sent, then rows read with the time left at the pace so far; the page must stay open meanwhile. */
function ImportProgress({ stage, size }: { stage: Stage; size: number }) {
  const { t } = useTranslation();
  const p = stage.progress;
  let value = 0;
  let label = t('import.sending');
  if (p?.phase === 'upload') {
    value = p.total > 0 ? (100 * p.loaded) / p.total : 0;
    label = t('import.sendingPercent', { percent: Math.floor(value) });
  } else if (p?.phase === 'rows') {
    value = p.total > 0 ? (100 * p.done) / p.total : 100;
    const elapsed = (Date.now() - (stage.rowsAt ?? stage.startedAt)) / 1000;
    const left = p.done > 0 && elapsed > 0.5 ? Math.ceil(((p.total - p.done) * elapsed) / p.done) : null;
    label =
      t('import.rowsDone', { done: formatNumber(p.done), total: formatNumber(p.total) }) +
      (left !== null && p.done < p.total ? ` · ${t('import.timeLeft', { count: left })}` : '');
  }
  return (
    <Stack gap={4} data-testid="import-progress">
      <Text size="sm">
        {stage.kind === 'check' ? t('import.checking') : t('import.importing')} — {label}
      </Text>
      <Progress value={value} animated aria-label={label} />
      {size > 1024 * 1024 && (
        <Text size="xs" c="orange">
          {t('import.keepOpen')}
        </Text>
      )}
    </Stack>
  );
}
