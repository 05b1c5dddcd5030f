import type { Kysely, Transaction } from 'kysely';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { nowIso } from '../../storage/database.ts';
import type { Database } from '../../storage/schema.ts';
import { attachInvoicePdf, createInvoice } from '../../storage/invoices.ts';
import type { Actor } from '../../shared/actor.ts';
import { writeCreditNote } from '../../settlements/record-credit-note.ts';
import { writePayment } from '../../settlements/record-payment.ts';
import { auditBy } from '../../storage/audit.ts';
import { importTransaction } from '../dry-run.ts';
import { ensureContactEmail, findOrCreateCustomer } from '../ledger-writes.ts';
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
  rejected: { file: string; reason: string }[];
  /** Each file given, in order: what became of it (a status message may be partly applied). */
  files: FileOutcome[];
  committed: boolean;
  dryRun: boolean;
};

async function writeInvoice(
  trx: Transaction<Database>,
  actor: Actor,
  file: Extract<ReadFile, { kind: 'invoice' }>,
): Promise<InvoiceOutcome> {
  const companyId = actor.companyId;
  const e = file.invoice;
  const existing = await trx
    .selectFrom('invoices as i')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
    )
    .select([
      'i.id',
      'i.customer_id',
      'i.issue_date',
      'i.due_date',
      'i.currency',
      'i.total',
      'i.total_excl_tax',
      'i.allocated',
      'c.code',
    ])
    .where('i.company_id', '=', companyId)
    .where('i.number', '=', e.number)
    .executeTakeFirst();
  const customer = existing
    ? { id: existing.customer_id, code: existing.code, created: false }
    : await findOrCreateCustomer(trx, companyId, e.buyer);
  if (e.buyer.email) await ensureContactEmail(trx, companyId, customer.id, e.buyer.email);
  let action: InvoiceOutcome['action'];
  let invoiceId: string;
  let allocated: number;
  if (!existing) {
    const created = await createInvoice(trx, companyId, customer.id, {
      number: e.number,
      issueDate: e.issueDate,
      dueDate: e.dueDate,
      currency: e.currency,
      totalExclTax: e.totalExclTax,
      total: e.total,
      title: null,
      salesRep: null,
    });
    action = 'created';
    invoiceId = created.id;
    allocated = 0;
  } else {
    invoiceId = existing.id;
    allocated = existing.allocated;
    const changes = {
      issue_date: e.issueDate,
      due_date: e.dueDate,
      currency: e.currency,
      total: e.total,
      total_excl_tax: e.totalExclTax,
    };
    const same =
      existing.issue_date === changes.issue_date &&
      existing.due_date === changes.due_date &&
      existing.currency === changes.currency &&
      existing.total === changes.total &&
      existing.total_excl_tax === changes.total_excl_tax;
    if (same) action = 'unchanged';
    else {
      if (existing.allocated > e.total || (existing.allocated > 0 && existing.currency !== e.currency)) {
        throw new AppError(
          'conflict',
          `${file.fileName}: invoice ${e.number} already received ${existing.allocated} cents; ` +
            'its new total or currency does not fit them.',
          [],
          {
            key: 'problem.einvoice.allocated',
            params: { file: file.fileName, invoice: e.number, amount: existing.allocated, currency: existing.currency },
          },
        );
      }
      await trx
        .updateTable('invoices')
        .set({ ...changes, next_action_date: null, updated_at: nowIso() })
        .where('company_id', '=', companyId)
        .where('id', '=', existing.id)
        .execute();
      action = 'updated';
    }
  }
  // What the invoice says was already paid (BT-113, and any rounding) is recorded once, so that the
  // balance relance chases is the amount due (BT-115).
  let paidRecorded = 0;
  const alreadyPaid = e.total - e.due;
  const importKey = `einvoice:${e.number}:prepaid`;
  const known = await trx
    .selectFrom('payments')
    .select('id')
    .where('company_id', '=', companyId)
    .where('import_key', '=', importKey)
    .executeTakeFirst();
  if (alreadyPaid > 0 && !known && alreadyPaid <= e.total - allocated) {
    await writePayment(trx, actor, {
      customerId: customer.id,
      date: e.issueDate,
      currency: e.currency,
      amount: alreadyPaid,
      method: 'other',
      reference: `${e.number} déjà payé (BT-113)`,
      importKey,
      allocations: [{ invoiceId, amount: alreadyPaid }],
    });
    paidRecorded = alreadyPaid;
  }
  if (file.pdf) await attachInvoicePdf(trx, companyId, e.number, file.pdf.filename, file.pdf.bytes);
  return {
    file: file.fileName,
    format: e.format,
    kind: 'invoice',
    invoice: e.number,
    action,
    customer: customer.code,
    customerCreated: customer.created,
    dueDate: e.dueDate,
    dueDateSource: e.dueDateSource,
    paidRecorded,
    pdfKept: file.pdf !== null,
  };
}

/**
 * An e-invoiced credit note (avoir): recorded once by its number, for the customer of the invoice it
 * corrects (BT-25) when known, and allocated to that invoice up to its balance; the rest stays as the
 * customer's credit.
 */
async function writeEInvoiceCreditNote(
  trx: Transaction<Database>,
  actor: Actor,
  file: Extract<ReadFile, { kind: 'invoice' }>,
): Promise<InvoiceOutcome> {
  const companyId = actor.companyId;
  const e = file.invoice;
  const outcome = {
    file: file.fileName,
    format: e.format,
    kind: 'credit_note' as const,
    invoice: e.number,
    dueDate: e.issueDate,
    dueDateSource: e.dueDateSource,
    paidRecorded: 0,
    pdfKept: false,
  };
  const known = await trx
    .selectFrom('credit_notes as n')
    .innerJoin('customers as c', (j) =>
      j.onRef('c.company_id', '=', 'n.company_id').onRef('c.id', '=', 'n.customer_id'),
    )
    .select('c.code')
    .where('n.company_id', '=', companyId)
    .where('n.number', '=', e.number)
    .executeTakeFirst();
  if (known) return { ...outcome, action: 'unchanged', customer: known.code, customerCreated: false };
  const corrected =
    e.precedingInvoice === null
      ? undefined
      : await trx
          .selectFrom('invoices as i')
          .innerJoin('customers as c', (j) =>
            j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
          )
          .select(['i.id', 'i.customer_id', 'i.total', 'i.allocated', 'i.status', 'i.currency', 'c.code'])
          .where('i.company_id', '=', companyId)
          .where('i.number', '=', e.precedingInvoice)
          .executeTakeFirst();
  const customer = corrected
    ? { id: corrected.customer_id, code: corrected.code, created: false }
    : await findOrCreateCustomer(trx, companyId, e.buyer);
  const open =
    corrected && corrected.status === 'issued' && corrected.currency === e.currency
      ? corrected.total - corrected.allocated
      : 0;
  await writeCreditNote(trx, actor, {
    number: e.number,
    customerId: customer.id,
    date: e.issueDate,
    currency: e.currency,
    total: e.total,
    reason: e.precedingInvoice ? `Avoir sur facture ${e.precedingInvoice}` : 'Avoir',
    allocations: open > 0 ? [{ invoiceId: corrected!.id, amount: Math.min(open, e.total) }] : [],
  });
  return { ...outcome, action: 'created', customer: customer.code, customerCreated: customer.created };
}

const ROLLBACK = Symbol('rollback');

/** Outcomes and errors name the file, so two files of the same name (two folders, two uploads) are told apart. */
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
    else report.rejected.push({ file: files[i]!.fileName, reason: outcome.refused.message });
  });
  const numbers = new Map<string, string>();
  for (const file of read) {
    if (file.kind !== 'invoice') continue;
    const other = numbers.get(file.invoice.number);
    if (other)
      report.rejected.push({
        file: file.fileName,
        reason: `${file.fileName}: invoice ${file.invoice.number} is also in ${other}.`,
      });
    numbers.set(file.invoice.number, file.fileName);
  }
  const refuse = () => {
    const issues: FieldIssue[] = report.rejected.map((r) => ({
      field: r.file,
      reason: r.reason.startsWith(`${r.file}: `) ? r.reason.slice(r.file.length + 2) : r.reason,
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
      for (const kind of ['invoice', 'credit_note'] as const) {
        for (const file of read) {
          if (file.kind !== 'invoice' || file.invoice.kind !== kind || rejectedFiles.has(file.fileName)) continue;
          report.invoices.push(
            await (kind === 'credit_note' ? writeEInvoiceCreditNote : writeInvoice)(trx, actor, file),
          );
        }
      }
      const statuses = read
        .flatMap((f) => (f.kind === 'status' ? f.statuses.map((s) => ({ ...s, file: f.fileName })) : []))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.code - b.code));
      for (const status of statuses) {
        const outcome = await applyLifecycleStatus(trx, actor, status, status.file);
        if ('problem' in outcome)
          report.rejected.push({ file: status.file, reason: `${status.file}: ${outcome.problem}.` });
        else report.statuses.push({ ...outcome, file: status.file });
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
