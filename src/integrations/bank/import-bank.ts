import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { FieldIssue } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { inputLimits } from '../../shared/input-limits.ts';
import { nowIso } from '../../storage/database.ts';
import type { BankLineRow, Database } from '../../storage/schema.ts';
import { inTexts } from '../../storage/in-list.ts';
import type { Actor } from '../../shared/actor.ts';
import { PendingWrites } from './bank-writes.ts';
import { removePayment } from '../../storage/allocations.ts';
import { auditBy } from '../../storage/audit.ts';
import type { BankLine } from './camt053.ts';
import { readStatementFile, type Statement } from './read-statement.ts';
import { importTransaction } from '../dry-run.ts';
import { buildMatchIndex, matchCredit, type MatchIndex, type MatchRule } from './match.ts';

export type BankLineOutcome = {
  where: string;
  date: string;
  amount: number;
  currency: string;
  counterparty: string | null;
  reference: string | null;
  status: 'matched' | 'unmatched' | 'ignored' | 'returned' | 'already_imported';
  rule?: MatchRule;
  invoices?: string[];
  reason?: string;
  /** The catalogue key and params of `reason`. */
  code?: string;
  params?: Record<string, string | number>;
};

export type BankImportReport = {
  file: string;
  format: 'camt.053' | 'csv';
  lines: number;
  matched: number;
  unmatched: number;
  ignored: number;
  alreadyImported: number;
  outcomes: BankLineOutcome[];
  /** Lines left out as unreadable (with `skipInvalid`): where each one is and why. */
  skipped: FieldIssue[];
  dryRun: boolean;
};

async function loadIndex(trx: Transaction<Database>, companyId: string): Promise<MatchIndex> {
  const invoices = await trx
    .selectFrom('invoices')
    .select(['id', 'number', 'customer_id', 'currency', 'due_date', sql<number>`total - allocated`.as('balance')])
    .where('company_id', '=', companyId)
    .where('status', '=', 'issued')
    .where(sql<boolean>`allocated < total`)
    .execute();
  const customers = await trx
    .selectFrom('customers')
    .select(['id', 'name'])
    .where('company_id', '=', companyId)
    .execute();
  const mandates = await trx
    .selectFrom('sepa_mandates')
    .select(['customer_id', 'iban'])
    .where('company_id', '=', companyId)
    .where('revoked_on', 'is', null)
    .execute();
  const debits = await trx
    .selectFrom('direct_debits')
    .select(['end_to_end_id', 'invoice_id', 'customer_id', 'amount', 'batch_id', 'sequence_type'])
    .where('company_id', '=', companyId)
    .where('status', '=', 'pending')
    .orderBy('end_to_end_id')
    .execute();
  return buildMatchIndex(
    invoices.map((i) => ({
      id: i.id,
      number: i.number,
      customerId: i.customer_id,
      currency: i.currency,
      dueDate: i.due_date,
      balance: Number(i.balance),
    })),
    customers,
    new Map(mandates.map((m) => [m.iban, m.customer_id])),
    // The file's message id and its payment-information id (`<message>-FRST`, as pain008.ts writes it).
    debits.map((d) => ({
      endToEndId: d.end_to_end_id,
      invoiceId: d.invoice_id,
      customerId: d.customer_id,
      amount: d.amount,
      batchKeys: [d.batch_id, `${d.batch_id}-${d.sequence_type}`],
    })),
  );
}

/** A debit carrying the end-to-end id of one of our direct debits is its return (R-transaction): the invoice is owed again. */
async function applyReturn(trx: Transaction<Database>, companyId: string, line: BankLine): Promise<boolean> {
  if (!line.endToEndId) return false;
  const debit = await trx
    .selectFrom('direct_debits')
    .select(['id', 'payment_id', 'invoice_id'])
    .where('company_id', '=', companyId)
    .where('end_to_end_id', '=', line.endToEndId)
    .where('status', 'in', ['pending', 'paid'])
    .executeTakeFirst();
  if (!debit) return false;
  if (debit.payment_id) await removePayment(trx, companyId, debit.payment_id);
  await trx
    .updateTable('direct_debits')
    .set({ status: 'returned', payment_id: null })
    .where('company_id', '=', companyId)
    .where('id', '=', debit.id)
    .execute();
  await trx
    .updateTable('invoices')
    .set({ promise_to_pay_date: null, next_action_date: null, updated_at: nowIso() })
    .where('company_id', '=', companyId)
    .where('id', '=', debit.invoice_id)
    .execute();
  return true;
}

/**
 * `relance import bank FILE`: reads the whole statement first (a bad line rejects the file, or with
 * `skipInvalid` is left out and listed in `skipped`; a file that cannot be read at all is always refused), then in
 * one transaction records each new line, matches credits to open invoices and records the matched
 * payments through the allocation logic (so the reminder cycle stops); the rest stays listed as
 * unmatched for a person to match. Lines already imported are skipped.
 */
export async function importBankStatement(
  db: Kysely<Database>,
  actor: Actor,
  options: {
    fileName: string;
    bytes: Uint8Array;
    currency: string;
    dryRun?: boolean;
    skipInvalid?: boolean;
    /** Reads the file elsewhere (the API: in the upload thread, with its limits); by default here, lines capped alike. */
    read?: (fileName: string, bytes: Uint8Array, currency: string, skipInvalid: boolean) => Promise<Statement>;
  },
): Promise<BankImportReport> {
  const companyId = actor.companyId;
  const skipInvalid = options.skipInvalid ?? false;
  const { format, lines, skipped } = options.read
    ? await options.read(options.fileName, options.bytes, options.currency, skipInvalid)
    : readStatementFile(options.fileName, options.bytes, options.currency, skipInvalid, inputLimits().maxCsvRows);
  const report: BankImportReport = {
    file: options.fileName,
    format,
    lines: lines.length,
    matched: 0,
    unmatched: 0,
    ignored: 0,
    alreadyImported: 0,
    outcomes: [],
    skipped,
    dryRun: options.dryRun ?? false,
  };
  await importTransaction(
    db,
    options.dryRun,
    async (trx) => {
      const index = await loadIndex(trx, companyId);
      const numbers = new Map([...index.byId.values()].map((i) => [i.id, i.number]));
      const known = new Set(
        (
          await trx
            .selectFrom('bank_lines')
            .select('import_key')
            .where('company_id', '=', companyId)
            .where(
              inTexts(
                trx,
                'import_key',
                lines.map((l) => l.key),
              ),
            )
            .execute()
        ).map((r) => r.import_key),
      );
      const pending = new PendingWrites();
      const now = nowIso();
      for (const line of lines) {
        const base = {
          where: line.where,
          date: line.bookingDate,
          amount: line.amount,
          currency: line.currency,
          counterparty: line.counterparty,
          reference: line.reference,
        };
        if (known.has(line.key)) {
          report.alreadyImported++;
          report.outcomes.push({ ...base, status: 'already_imported' });
          continue;
        }
        known.add(line.key);
        const row: BankLineRow = {
          company_id: companyId,
          id: newId(),
          import_key: line.key,
          account: line.account,
          booking_date: line.bookingDate,
          amount: line.amount,
          currency: line.currency,
          counterparty: line.counterparty,
          reference: line.reference?.slice(0, 500) ?? null,
          status: 'unmatched',
          invoice_id: null,
          payment_id: null,
          file_name: options.fileName,
          created_at: now,
        };
        if (line.amount < 0) {
          // A return undoes a payment that this same file may have brought: what is pending is written first.
          if (line.endToEndId) await pending.flush(trx, actor);
          const returned = await applyReturn(trx, companyId, line);
          pending.lines.push({ row: { ...row, status: returned ? 'matched' : 'ignored' } });
          report.ignored += returned ? 0 : 1;
          report.outcomes.push({ ...base, status: returned ? 'returned' : 'ignored' });
          continue;
        }
        const match = matchCredit(line, index);
        if (match.kind === 'unmatched') {
          pending.lines.push({ row: { ...row, status: 'unmatched' } });
          report.unmatched++;
          report.outcomes.push({
            ...base,
            status: 'unmatched',
            reason: match.reason,
            code: match.code,
            ...(match.params ? { params: match.params } : {}),
          });
          continue;
        }
        if (match.kind === 'batch') {
          // One payment per debit: each is its customer's, and each direct debit is settled by its own.
          const first = pending.settlements.payments.length;
          for (const debit of match.debits) {
            pending.pay(
              {
                customerId: debit.customerId,
                date: line.bookingDate,
                currency: line.currency,
                amount: debit.amount,
                method: 'direct_debit',
                reference: debit.endToEndId,
                importKey: `bank:${line.key}:${debit.endToEndId}`,
                allocations: [{ invoiceId: debit.invoiceId, amount: debit.amount }],
              },
              debit.endToEndId,
            );
            index.byId.get(debit.invoiceId)!.balance -= debit.amount;
          }
          pending.lines.push({
            row: { ...row, status: 'matched' },
            payment: match.debits.length > 0 ? first : undefined,
          });
          report.matched++;
          report.outcomes.push({
            ...base,
            status: 'matched',
            rule: match.rule,
            invoices: match.debits.map((d) => numbers.get(d.invoiceId)!),
          });
          continue;
        }
        const payment = pending.pay(
          {
            customerId: match.customerId,
            date: line.bookingDate,
            currency: line.currency,
            amount: line.amount,
            method: match.rule === 'direct_debit' ? 'direct_debit' : 'transfer',
            reference: line.reference?.slice(0, 140) ?? null,
            importKey: `bank:${line.key}`,
            allocations: match.allocations,
          },
          match.rule === 'direct_debit' ? line.endToEndId! : null,
        );
        for (const a of match.allocations) index.byId.get(a.invoiceId)!.balance -= a.amount;
        pending.lines.push({
          row: { ...row, status: 'matched', invoice_id: match.allocations[0]?.invoiceId ?? null },
          payment,
        });
        report.matched++;
        report.outcomes.push({
          ...base,
          status: 'matched',
          rule: match.rule,
          invoices: match.allocations.map((a) => numbers.get(a.invoiceId)!),
        });
      }
      await pending.flush(trx, actor);
      await auditBy(trx, actor, 'import', 'bank-statement', {
        file: report.file,
        matched: report.matched,
        unmatched: report.unmatched,
        skipped: report.skipped.length,
      });
    },
    () => lines.length,
  );
  return report;
}
