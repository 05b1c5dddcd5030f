import type { Transaction } from 'kysely';
import type { Actor } from '../../shared/actor.ts';
import { AppError } from '../../shared/errors.ts';
import { writeSettlements } from '../../settlements/write-settlements.ts';
import { insertRecords } from '../../storage/bulk.ts';
import type { SettlementBatch } from '../../storage/bulk-settlements.ts';
import { nowIso } from '../../storage/database.ts';
import { inTexts } from '../../storage/in-list.ts';
import { attachInvoicePdf, newInvoiceRow } from '../../storage/invoices.ts';
import type { Database, InvoiceRow } from '../../storage/schema.ts';
import { BuyerIndex } from '../buyer-index.ts';
import type { InvoiceOutcome } from './import-einvoices.ts';
import type { ReadFile } from './read-file.ts';

type Trx = Transaction<Database>;
type InvoiceFile = Extract<ReadFile, { kind: 'invoice' }>;

/**
 * The invoices of a batch of e-invoices, as writing them one file after the other did (same customers, contacts,
 * invoices, prepaid payments, PDFs and outcomes), with the lookups made once for the batch and the new rows written
 * together. Files are taken in order, so a buyer created by one is found by the next.
 */
export async function writeInvoices(trx: Trx, actor: Actor, files: InvoiceFile[], buyers: BuyerIndex) {
  const companyId = actor.companyId;
  const existing = new Map(
    (
      await trx
        .selectFrom('invoices as i')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
        )
        .select(['i.id', 'i.number', 'i.customer_id', 'i.issue_date', 'i.due_date', 'i.currency', 'i.total'])
        .select(['i.total_excl_tax', 'i.allocated', 'c.code'])
        .where('i.company_id', '=', companyId)
        .where(
          inTexts(
            trx,
            'i.number',
            files.map((f) => f.invoice.number),
          ),
        )
        .execute()
    ).map((r) => [r.number, r]),
  );
  const prepaidKeys = new Set(
    (
      await trx
        .selectFrom('payments')
        .select('import_key')
        .where('company_id', '=', companyId)
        .where(
          inTexts(
            trx,
            'import_key',
            files.map((f) => `einvoice:${f.invoice.number}:prepaid`),
          ),
        )
        .execute()
    ).map((r) => r.import_key),
  );
  await buyers.loadContacts([...existing.values()].map((e) => e.customer_id));
  const now = nowIso();
  const created: InvoiceRow[] = [];
  const batch: SettlementBatch = { payments: [], creditNotes: [] };
  const outcomes: InvoiceOutcome[] = [];
  for (const file of files) {
    const e = file.invoice;
    const found = existing.get(e.number);
    const customer = found
      ? { id: found.customer_id, code: found.code, created: false }
      : await buyers.resolve(e.buyer);
    if (e.buyer.email) {
      await buyers.loadContacts([customer.id]);
      buyers.ensureContactEmail(customer.id, e.buyer.email);
    }
    let action: InvoiceOutcome['action'];
    let invoiceId: string;
    let allocated: number;
    if (!found) {
      if (e.dueDate < e.issueDate)
        throw new AppError('invalid_input', `Invoice ${e.number}: the due date is before the issue date.`, [], {
          key: 'problem.ledger.dueBeforeIssue',
          params: { invoice: e.number },
        });
      const row = newInvoiceRow(
        companyId,
        customer.id,
        {
          number: e.number,
          issueDate: e.issueDate,
          dueDate: e.dueDate,
          currency: e.currency,
          totalExclTax: e.totalExclTax,
          total: e.total,
          title: null,
          salesRep: null,
        },
        now,
      );
      created.push(row);
      action = 'created';
      invoiceId = row.id;
      allocated = 0;
    } else {
      invoiceId = found.id;
      allocated = found.allocated;
      action = await updateInvoice(trx, companyId, file, found);
    }
    // What the invoice says was already paid (BT-113, and any rounding) is recorded once, so that the
    // balance relance chases is the amount due (BT-115).
    let paidRecorded = 0;
    const alreadyPaid = e.total - e.due;
    const importKey = `einvoice:${e.number}:prepaid`;
    if (alreadyPaid > 0 && !prepaidKeys.has(importKey) && alreadyPaid <= e.total - allocated) {
      batch.payments.push({
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
    outcomes.push({
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
    });
  }
  await buyers.flush();
  await insertRecords(trx, 'invoices', created);
  await writeSettlements(trx, actor, batch);
  for (const file of files) {
    if (file.pdf) await attachInvoicePdf(trx, companyId, file.invoice.number, file.pdf.filename, file.pdf.bytes);
  }
  return outcomes;
}

type Existing = Pick<
  InvoiceRow,
  'id' | 'issue_date' | 'due_date' | 'currency' | 'total' | 'total_excl_tax' | 'allocated'
>;

async function updateInvoice(
  trx: Trx,
  companyId: string,
  file: InvoiceFile,
  existing: Existing,
): Promise<InvoiceOutcome['action']> {
  const e = file.invoice;
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
  if (same) return 'unchanged';
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
  return 'updated';
}

/**
 * E-invoiced credit notes (avoirs): each recorded once by its number, for the customer of the invoice it corrects
 * (BT-25) when known, and allocated to that invoice up to its balance (as the batch's earlier notes left it); the
 * rest stays as the customer's credit.
 */
export async function writeCreditNotes(trx: Trx, actor: Actor, files: InvoiceFile[], buyers: BuyerIndex) {
  const companyId = actor.companyId;
  const known = new Map(
    (
      await trx
        .selectFrom('credit_notes as n')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.company_id', '=', 'n.company_id').onRef('c.id', '=', 'n.customer_id'),
        )
        .select(['n.number', 'c.code'])
        .where('n.company_id', '=', companyId)
        .where(
          inTexts(
            trx,
            'n.number',
            files.map((f) => f.invoice.number),
          ),
        )
        .execute()
    ).map((r) => [r.number, r.code]),
  );
  const preceding = files.flatMap((f) => (f.invoice.precedingInvoice ? [f.invoice.precedingInvoice] : []));
  const corrected = new Map(
    (preceding.length === 0
      ? []
      : await trx
          .selectFrom('invoices as i')
          .innerJoin('customers as c', (j) =>
            j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
          )
          .select(['i.id', 'i.number', 'i.customer_id', 'i.total', 'i.allocated', 'i.status', 'i.currency', 'c.code'])
          .where('i.company_id', '=', companyId)
          .where(inTexts(trx, 'i.number', preceding))
          .execute()
    ).map((r) => [r.number, r]),
  );
  const batch: SettlementBatch = { payments: [], creditNotes: [] };
  const outcomes: InvoiceOutcome[] = [];
  for (const file of files) {
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
    const code = known.get(e.number);
    if (code !== undefined) {
      outcomes.push({ ...outcome, action: 'unchanged', customer: code, customerCreated: false });
      continue;
    }
    const invoice = e.precedingInvoice === null ? undefined : corrected.get(e.precedingInvoice);
    const customer = invoice
      ? { id: invoice.customer_id, code: invoice.code, created: false }
      : await buyers.resolve(e.buyer);
    const open =
      invoice && invoice.status === 'issued' && invoice.currency === e.currency ? invoice.total - invoice.allocated : 0;
    const amount = Math.min(open, e.total);
    batch.creditNotes.push({
      number: e.number,
      customerId: customer.id,
      date: e.issueDate,
      currency: e.currency,
      total: e.total,
      reason: e.precedingInvoice ? `Avoir sur facture ${e.precedingInvoice}` : 'Avoir',
      allocations: open > 0 ? [{ invoiceId: invoice!.id, amount }] : [],
    });
    if (open > 0) invoice!.allocated += amount;
    known.set(e.number, customer.code);
    outcomes.push({ ...outcome, action: 'created', customer: customer.code, customerCreated: customer.created });
  }
  await buyers.flush();
  await writeSettlements(trx, actor, batch);
  return outcomes;
}
