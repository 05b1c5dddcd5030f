import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { FieldIssue } from '../shared/errors.ts';
import { inputLimits } from '../shared/input-limits.ts';
import { newId } from '../shared/ids.ts';
import { withImportSession } from '../storage/bulk.ts';
import { getCompany } from '../storage/companies.ts';
import { holdStatistics, refreshStatistics, type StatisticsTable } from '../storage/statistics.ts';
import { nowIso } from '../storage/database.ts';
import { isPostgres } from '../storage/migrations/column-types.ts';
import type { Database } from '../storage/schema.ts';
import type { Delimiter, Encoding } from './csv-source.ts';
import type { ImportContext, ImportHandler } from './handler.ts';
import { matchHeaders } from './header-aliases.ts';
import { customersHandler } from './import-customers.ts';
import { invoicesHandler } from './import-invoices.ts';
import { quotesHandler } from './import-quotes.ts';
import { creditNotesHandler } from './import-credit-notes.ts';
import { paymentsHandler } from './import-payments.ts';
import { CsvRows, parseCsv, type ParsedCsv } from './parse-csv.ts';
import { RowReader } from './row-reader.ts';
import { IMPORT_KINDS } from './import-kind.ts';

export const ImportKindSchema = z.enum(IMPORT_KINDS);
export type ImportKind = z.infer<typeof ImportKindSchema>;

const HANDLERS: Record<ImportKind, () => ImportHandler> = {
  customers: customersHandler,
  invoices: invoicesHandler,
  payments: paymentsHandler,
  'credit-notes': creditNotesHandler,
  quotes: quotesHandler,
};

/** The tables each kind of import writes, analysed after a committed bulk import. */
const WRITTEN: Record<ImportKind, StatisticsTable[]> = {
  customers: ['customers', 'contacts'],
  invoices: ['invoices'],
  payments: ['payments', 'allocations', 'invoices'],
  'credit-notes': ['credit_notes', 'allocations', 'invoices'],
  quotes: ['quotes'],
};

export function importColumns(kind: ImportKind): { required: readonly string[]; optional: readonly string[] } {
  const { required, optional } = HANDLERS[kind]();
  return { required, optional };
}

export type ImportOptions = {
  kind: ImportKind;
  fileName: string;
  bytes: Uint8Array;
  /** Check and count everything, write nothing. */
  dryRun?: boolean;
  /** Import the good rows and report the bad ones, instead of importing nothing. */
  skipInvalid?: boolean;
  /** Field → header of the file, as chosen by the user; the other fields are found by their usual names. */
  mapping?: Record<string, string | null>;
  onProgress?: (done: number, total: number) => void;
  /** Data rows beyond this refuse the file; by default the installation's limit (`RELANCE_MAX_CSV_ROWS`). */
  maxRows?: number;
  /** The file already parsed (by the API, in the upload thread); otherwise it is parsed here. */
  parsed?: ParsedCsv;
};

export type ImportReport = {
  kind: ImportKind;
  file: string;
  encoding: Encoding;
  delimiter: Delimiter;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows with at least one issue: left out with skipInvalid, otherwise the reason nothing was written. */
  badRows: number;
  issueCount: number;
  /** The first issues, in file order (all of them up to MAX_LISTED_ISSUES). */
  issues: FieldIssue[];
  ignoredColumns: string[];
  /** Field → the header of the file it was read from (`Date échéance` for due_date). */
  columns: Record<string, string>;
  /**
   * The header itself is at fault (a required column missing or claimed twice): no row was read, and the
   * issues (line 1) describe the header, not rows.
   */
  headerProblem: boolean;
  /** Rows accepted but worth a look, e.g. a payment taken for one already imported. */
  warnings: { line: number; message: string; code?: string }[];
  committed: boolean;
  dryRun: boolean;
};

const MAX_LISTED_ISSUES = 10_000;

class Rollback extends Error {}

/**
 * Imports one CSV file in one transaction: with any bad row (and no skipInvalid) nothing is written;
 * upserts on natural keys make a second import of the same file change nothing.
 */
export async function importCsv(db: Kysely<Database>, actor: Actor, options: ImportOptions): Promise<ImportReport> {
  const companyId = actor.companyId;
  const handler = HANDLERS[options.kind]();
  const scan = options.parsed ?? parseCsv(options.bytes, options.fileName, options.maxRows ?? inputLimits().maxCsvRows);
  const records = new CsvRows(scan);
  const match = matchHeaders(options.kind, scan.headers, options.mapping);
  const report: ImportReport = {
    kind: options.kind,
    file: options.fileName,
    encoding: scan.encoding,
    delimiter: scan.delimiter,
    rows: records.count,
    created: 0,
    updated: 0,
    unchanged: 0,
    badRows: 0,
    issueCount: 0,
    issues: [],
    ignoredColumns: match.ignored,
    columns: Object.fromEntries([...match.columns].map(([field, at]) => [field, scan.headers[at]!.trim()])),
    headerProblem: false,
    warnings: [],
    committed: false,
    dryRun: options.dryRun ?? false,
  };
  const addIssues = (issues: FieldIssue[]) => {
    report.issueCount += issues.length;
    for (const issue of issues) if (report.issues.length < MAX_LISTED_ISSUES) report.issues.push(issue);
  };

  const columns = match.columns;
  for (const { field, headers } of match.ambiguous) {
    addIssues([
      {
        line: 1,
        field,
        reason: `appears twice in the header (${headers.join(', ')}): choose one column`,
        code: 'import.header.ambiguous',
        params: { headers: headers.join(', ') },
      },
    ]);
  }
  for (const column of handler.required) {
    if (!columns.has(column)) {
      addIssues([
        { line: 1, field: column, reason: 'required column is missing from the header', code: 'import.header.missing' },
      ]);
    }
  }
  report.headerProblem = report.issueCount > 0;
  if (scan.fatal) addIssues([scan.fatal]);
  if (report.issueCount > 0) return report;

  const company = await getCompany(db, companyId);
  try {
    await withImportSession(db, { referencesResolved: handler.resolvesReferences ?? false }, async (connection) => {
      await connection.transaction().execute(async (trx) => {
        const sha256 = createHash('sha256').update(options.bytes).digest('hex');
        const before = await trx
          .selectFrom('imports')
          .select('id')
          .where('company_id', '=', companyId)
          .where('kind', '=', options.kind)
          .where('sha256', '=', sha256)
          .executeTakeFirst();
        const ctx: ImportContext = {
          trx,
          company,
          rows: records.count,
          write: true,
          sameFileBefore: before !== undefined,
          warn: (line, message, code) => {
            if (report.warnings.length < MAX_LISTED_ISSUES) report.warnings.push({ line, message, code });
          },
        };
        await holdStatistics(trx, WRITTEN[options.kind], records.count);
        await handler.begin(ctx);
        const chunkSize = isPostgres(trx) ? (handler.pgChunkSize ?? handler.chunkSize) : handler.chunkSize;
        for (let start = 0; start < records.count; start += chunkSize) {
          // A dry run keeps writing (it is rolled back anyway) so that its counts are those of a real import.
          ctx.write = report.issueCount === 0 || (options.skipInvalid ?? false) || report.dryRun;
          const rows = records.take(chunkSize).map((r) => new RowReader(r.line, r.values, columns));
          const outcome = await handler.chunk(ctx, rows);
          report.created += outcome.created;
          report.updated += outcome.updated;
          report.unchanged += outcome.unchanged;
          for (const row of rows) {
            if (!row.ok) {
              report.badRows++;
              addIssues(row.issues);
            }
          }
          options.onProgress?.(Math.min(start + chunkSize, records.count), records.count);
          // SQLite answers synchronously: a turn of the event loop between chunks lets the progress leave and,
          // on PostgreSQL, the other requests be answered while a large file is checked.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (report.issueCount > 0 && !options.skipInvalid) throw new Rollback();
        if (options.dryRun) throw new Rollback();
        await handler.finish?.(ctx);
        await trx
          .insertInto('imports')
          .values({
            company_id: companyId,
            id: newId(),
            kind: options.kind,
            file_name: options.fileName,
            sha256,
            rows: report.rows,
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            created_at: nowIso(),
          })
          .execute();
        await auditBy(trx, actor, 'import', options.kind, {
          file: report.file,
          created: report.created,
          updated: report.updated,
          badRows: report.badRows,
        });
      });
      report.committed = true;
      // On the import's connection, while the pages it wrote are still in its page cache and before the
      // write-ahead log is copied in the background (SQLite).
      await refreshStatistics(connection, WRITTEN[options.kind], report.created + report.updated);
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  // Without skipInvalid a bad row means nothing is imported, and a dry run says exactly that.
  if (!report.committed && (!report.dryRun || (report.issueCount > 0 && !options.skipInvalid))) {
    report.created = 0;
    report.updated = 0;
    report.unchanged = 0;
  }
  return report;
}
