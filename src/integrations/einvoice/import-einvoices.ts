import type { Kysely } from 'kysely';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import type { Database } from '../../storage/schema.ts';
import type { Actor } from '../../shared/actor.ts';
import { auditBy } from '../../storage/audit.ts';
import { importTransaction } from '../dry-run.ts';
import { BuyerIndex } from '../buyer-index.ts';
import { writeCreditNotes, writeInvoices } from './write-einvoices.ts';
import type { EInvoice } from './read-einvoice.ts';
import { readOutcome, type InputFile, type ReadFile, type ReadOutcome } from './read-file.ts';
import { applyLifecycleStatus, type StatusOutcome } from './apply-status.ts';

export type InvoiceOutcome = {
  file: string;
  format: EInvoice['format'];
  kind: EInvoice['kind'];
  invoice: string;
  action: 'created' | 'updated' | 'unchanged';
  customer: string;
  customerCreated: boolean;
  dueDate: string;
  dueDateSource: EInvoice['dueDateSource'];
  paidRecorded: number;
  pdfKept: boolean;
};

export type FileOutcome = {
  file: string;
  outcome: 'imported' | 'partly_imported' | 'rejected';
  invoices: string[];
  statuses: number;
  reasons: string[];
};

export type EInvoiceImportReport = {
  invoices: InvoiceOutcome[];
  statuses: (StatusOutcome & { file: string })[];
  /** Files (or statuses) left out, with why. */
  /** `reason` in English; `code` and `params` say it from the catalogue (without the file name). */
  rejected: { file: string; reason: string; code: string; params?: Record<string, string | number> }[];
  /** Each file given, in order: what became of it (a status message may be partly applied). */
  files: FileOutcome[];
  committed: boolean;
  dryRun: boolean;
};

const ROLLBACK = Symbol('rollback');

/** Outcomes and errors name the file, so two files of the same name (two folders, two uploads) are told apart. */
/** A refused file's reason: its one issue's when it has a key (the reason without the file name), else the refusal's. */
function refusalReason(refused: Extract<ReadOutcome, { refused: unknown }>['refused']): Pick<FieldIssue, 'params'> & {
  code: string;
} {
  const only = refused.issues.length === 1 ? refused.issues[0]! : null;
  if (only?.code) return { code: only.code, ...(only.params ? { params: only.params } : {}) };
  if (refused.key) return { code: refused.key, ...(refused.params ? { params: refused.params } : {}) };
  return { code: 'problem.asWritten', params: { text: refused.message } };
}

async function readEach(files: InputFile[]): Promise<ReadOutcome[]> {
  const outcomes: ReadOutcome[] = [];
  for (const file of files) outcomes.push(await readOutcome(file));
  return outcomes;
}

function distinctNames(files: InputFile[]): InputFile[] {
  const taken = new Set<string>();
  return files.map((file) => {
    let fileName = file.fileName;
    for (let n = 2; taken.has(fileName); n++) fileName = `${file.fileName} (${n})`;
    taken.add(fileName);
    return fileName === file.fileName ? file : { ...file, fileName };
  });
}

/**
 * `relance import einvoice FILE…`: every file is read first; a file that is not a valid e-invoice or
 * status message rejects the whole import unless `skipInvalid`. Then invoices, and after them the
 * statuses (which may refer to an invoice of the same batch), are written in one transaction.
 */
export async function importEInvoices(
  db: Kysely<Database>,
  actor: Actor,
  options: {
    files: InputFile[];
    skipInvalid?: boolean;
    dryRun?: boolean;
    /** How the files are read (the API reads them in a worker thread with limits); default here, one after the other. */
    read?: (files: InputFile[]) => Promise<ReadOutcome[]>;
  },
): Promise<EInvoiceImportReport> {
  const report: EInvoiceImportReport = {
    invoices: [],
    statuses: [],
    rejected: [],
    files: [],
    committed: false,
    dryRun: options.dryRun ?? false,
  };
  const files = distinctNames(options.files);
  const read: ReadFile[] = [];
  const outcomes = options.read ? await options.read(files) : await readEach(files);
  outcomes.forEach((outcome, i) => {
    if ('ok' in outcome) read.push(outcome.ok);
    else {
      report.rejected.push({
        file: files[i]!.fileName,
        reason: outcome.refused.message,
        ...refusalReason(outcome.refused),
      });
    }
  });
  const numbers = new Map<string, string>();
  for (const file of read) {
    if (file.kind !== 'invoice') continue;
    const other = numbers.get(file.invoice.number);
    if (other)
      report.rejected.push({
        file: file.fileName,
        reason: `${file.fileName}: invoice ${file.invoice.number} is also in ${other}.`,
        code: 'reason.alsoIn',
        params: { invoice: file.invoice.number, other },
      });
    numbers.set(file.invoice.number, file.fileName);
  }
  const refuse = () => {
    const issues: FieldIssue[] = report.rejected.map((r) => ({
      field: r.file,
      reason: r.reason.startsWith(`${r.file}: `) ? r.reason.slice(r.file.length + 2) : r.reason,
      code: r.code,
      ...(r.params ? { params: r.params } : {}),
    }));
    const names = [...new Set(report.rejected.map((r) => r.file))];
    const named = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')}…`;
    return new AppError(
      'invalid_input',
      `${report.rejected.length} of ${files.length} files could not be imported (${named}); ` +
        'nothing was imported (use --skip-invalid to import the others).',
      issues,
      {
        key: 'problem.einvoice.rejected',
        params: { count: report.rejected.length, total: files.length, names: named },
      },
    );
  };
  if (report.rejected.length > 0 && !options.skipInvalid) throw refuse();
  const rejectedFiles = new Set(report.rejected.map((r) => r.file));
  try {
    await importTransaction(db, options.dryRun, async (trx) => {
      // Invoices before credit notes, so an avoir finds the invoice it corrects in the same batch.
      const invoiceFiles = (kind: 'invoice' | 'credit_note') =>
        read.filter(
          (file): file is Extract<ReadFile, { kind: 'invoice' }> =>
            file.kind === 'invoice' && file.invoice.kind === kind && !rejectedFiles.has(file.fileName),
        );
      const buyers = await BuyerIndex.load(
        trx,
        actor.companyId,
        read.flatMap((f) => (f.kind === 'invoice' ? [f.invoice.buyer] : [])),
      );
      report.invoices.push(...(await writeInvoices(trx, actor, invoiceFiles('invoice'), buyers)));
      report.invoices.push(...(await writeCreditNotes(trx, actor, invoiceFiles('credit_note'), buyers)));
      const statuses = read
        .flatMap((f) => (f.kind === 'status' ? f.statuses.map((s) => ({ ...s, file: f.fileName })) : []))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.code - b.code));
      for (const status of statuses) {
        const outcome = await applyLifecycleStatus(trx, actor, status, status.file);
        if ('problem' in outcome) {
          report.rejected.push({
            file: status.file,
            reason: `${status.file}: ${outcome.problem}.`,
            code: outcome.why.key,
            ...(outcome.why.params ? { params: outcome.why.params } : {}),
          });
        } else report.statuses.push({ ...outcome, file: status.file });
      }
      if (report.rejected.length > 0 && !options.skipInvalid) throw ROLLBACK;
      await auditBy(trx, actor, 'import', 'einvoices', {
        files: files.map((f) => f.fileName),
        invoices: report.invoices.length,
        statuses: report.statuses.length,
      });
    });
  } catch (error) {
    if (error === ROLLBACK) throw refuse();
    throw error;
  }
  report.committed = !options.dryRun;
  report.files = files.map(({ fileName }) => {
    const invoices = report.invoices.filter((i) => i.file === fileName).map((i) => i.invoice);
    const statuses = report.statuses.filter((st) => st.file === fileName).length;
    const reasons = report.rejected.filter((r) => r.file === fileName).map((r) => r.reason);
    const outcome = reasons.length === 0 ? 'imported' : invoices.length + statuses > 0 ? 'partly_imported' : 'rejected';
    return { file: fileName, outcome, invoices, statuses, reasons };
  });
  return report;
}
