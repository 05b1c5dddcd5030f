import { rmSync, renameSync, writeFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { addDays, type IsoDate } from '../../domain/calendar.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nowIso, type Db } from '../../storage/database.ts';
import type { Database } from '../../storage/schema.ts';
import { getCompany } from '../../storage/companies.ts';
import { parseBic, parseIban, sepaIdentifier } from './identifiers.ts';
import { getCreditorId } from './mandates.ts';
import { isTargetDay, nextTargetDay } from './target-days.ts';
import type { Pain008Debit } from './pain008.ts';
import { debitBatchFile, type DebitBatch as RecordedBatch } from './debit-file.ts';

/**
 * Days after the collection date that a pending debit holds reminders (as a promise to pay): the
 * bank statement should show the collection by then, or a return (R-transaction) within the five
 * TARGET days the Core scheme gives the debtor's bank.
 */
export const PENDING_DEBIT_HOLD_DAYS = 8;

export type DebitBatch = RecordedBatch & { file: string };

/**
 * `relance sepa debit --date D --out FILE.xml`: every open EUR invoice due by the collection date,
 * not disputed, of a customer with an active mandate and not already in a pending debit, is put in a
 * pain.008 file for its balance. In one transaction the debits are recorded as pending and each
 * invoice is held until the collection date + PENDING_DEBIT_HOLD_DAYS; the file is written inside
 * that transaction (temporary name, renamed once committed), so there is never a file without its records;
 * records whose file was lost (a crash between the commit and the rename) get it again, the same document,
 * from `relance sepa file`. `alongside` writes in that transaction (the caller's audit row).
 */
export async function generateDirectDebits(
  db: Kysely<Database>,
  companyId: string,
  options: { collectionDate: IsoDate; today: IsoDate; out: string },
  alongside?: (trx: Db, batch: RecordedBatch) => Promise<void>,
): Promise<DebitBatch> {
  if (options.collectionDate <= options.today) {
    throw new AppError(
      'invalid_input',
      `The collection date ${options.collectionDate} must be after today (${options.today}).`,
      [],
      { key: 'problem.sepa.dateNotAfter', params: { date: options.collectionDate, today: options.today } },
    );
  }
  if (!isTargetDay(options.collectionDate)) {
    throw new AppError(
      'invalid_input',
      `The collection date ${options.collectionDate} is not a SEPA settlement (TARGET) day; ` +
        `the next one is ${nextTargetDay(options.collectionDate)}.`,
      [],
      {
        key: 'problem.sepa.notTargetDay',
        params: { date: options.collectionDate, next: nextTargetDay(options.collectionDate) },
      },
    );
  }
  const company = await getCompany(db, companyId);
  const creditorId = await getCreditorId(db, companyId);
  if (!creditorId)
    throw new AppError(
      'invalid_input',
      'No SEPA creditor identifier (ICS): set it with relance sepa settings --creditor-id.',
      [],
      { key: 'problem.sepa.noIcs' },
    );
  const iban = company.iban ? parseIban(company.iban) : null;
  if (!iban?.ok)
    throw new AppError(
      'invalid_input',
      'The company has no valid IBAN to collect on: set it with relance company set --iban.',
      [],
      { key: 'problem.sepa.noIban' },
    );
  if (company.bic && !parseBic(company.bic).ok)
    throw new AppError('invalid_input', `The company's BIC ${company.bic} is not a BIC.`, [], {
      key: 'problem.sepa.badBic',
      params: { bic: company.bic ?? '' },
    });
  const messageId = `RELANCE-${options.collectionDate.replaceAll('-', '')}-${newId().slice(-12).toUpperCase()}`;
  const tmp = `${options.out}.${process.pid}.tmp`;
  let written = false;
  try {
    const batch = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('invoices as i')
        .innerJoin('customers as c', (j) =>
          j.onRef('c.company_id', '=', 'i.company_id').onRef('c.id', '=', 'i.customer_id'),
        )
        .innerJoin('sepa_mandates as m', (j) =>
          j.onRef('m.company_id', '=', 'i.company_id').onRef('m.customer_id', '=', 'i.customer_id'),
        )
        .select([
          'i.id',
          'i.number',
          'i.customer_id',
          sql<number>`i.total - i.allocated`.as('balance'),
          'c.code',
          'c.name',
          'm.id as mandate_id',
          'm.reference',
          'm.signed_on',
          'm.iban',
          'm.bic',
          'm.first_debit_on',
        ])
        .where('i.company_id', '=', companyId)
        .where('i.status', '=', 'issued')
        .where('i.currency', '=', 'EUR')
        .where(sql<boolean>`i.allocated < i.total`)
        .where('i.disputed', '=', 0)
        .where('i.due_date', '<=', options.collectionDate)
        .where('m.revoked_on', 'is', null)
        .where('m.signed_on', '<=', options.today)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('direct_debits as d')
                .select('d.id')
                .whereRef('d.company_id', '=', 'i.company_id')
                .whereRef('d.invoice_id', '=', 'i.id')
                .where('d.status', '=', 'pending'),
            ),
          ),
        )
        .orderBy('c.code')
        .orderBy('i.number')
        .orderBy('m.signed_on', 'desc')
        .execute();
      // A customer with several mandates is debited on the most recently signed one.
      const seen = new Set<string>();
      const chosen = rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
      if (chosen.length === 0)
        throw new AppError(
          'not_found',
          `No invoice to collect by ${options.collectionDate} (open, due, with a mandate).`,
          [],
          { key: 'problem.notFound.toCollect', params: { date: options.collectionDate } },
        );
      const debits: (Pain008Debit & {
        invoiceId: string;
        customerId: string;
        mandateId: string;
        number: string;
        code: string;
      })[] = [];
      const firstOfMandate = new Set<string>();
      for (const r of chosen) {
        const previous = await trx
          .selectFrom('direct_debits')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('company_id', '=', companyId)
          .where('invoice_id', '=', r.id)
          .executeTakeFirstOrThrow();
        // A mandate never used is FRST for its first debit only, even with several invoices in the file.
        const sequenceType = r.first_debit_on === null && !firstOfMandate.has(r.mandate_id) ? 'FRST' : 'RCUR';
        if (r.first_debit_on === null) firstOfMandate.add(r.mandate_id);
        debits.push({
          invoiceId: r.id,
          customerId: r.customer_id,
          mandateId: r.mandate_id,
          number: r.number,
          code: r.code,
          endToEndId: sepaIdentifier(`${r.number}`, 30) + `-${Number(previous.n) + 1}`,
          amount: Number(r.balance),
          mandateReference: r.reference,
          mandateSignedOn: r.signed_on,
          sequenceType,
          debtorName: r.name,
          debtorIban: r.iban,
          debtorBic: r.bic,
          remittance: `Facture ${r.number}`,
        });
      }
      const now = nowIso();
      for (const d of debits) {
        await trx
          .insertInto('direct_debits')
          .values({
            company_id: companyId,
            id: newId(),
            batch_id: messageId,
            customer_id: d.customerId,
            invoice_id: d.invoiceId,
            mandate_id: d.mandateId,
            collection_date: options.collectionDate,
            amount: d.amount,
            currency: 'EUR',
            end_to_end_id: d.endToEndId,
            sequence_type: d.sequenceType,
            status: 'pending',
            payment_id: null,
            created_at: now,
          })
          .execute();
        await trx
          .updateTable('invoices')
          .set({
            promise_to_pay_date: addDays(options.collectionDate, PENDING_DEBIT_HOLD_DAYS),
            next_action_date: null,
            updated_at: now,
          })
          .where('company_id', '=', companyId)
          .where('id', '=', d.invoiceId)
          .execute();
      }
      if (firstOfMandate.size > 0) {
        await trx
          .updateTable('sepa_mandates')
          .set({ first_debit_on: options.collectionDate })
          .where('company_id', '=', companyId)
          .where('id', 'in', [...firstOfMandate])
          .execute();
      }
      const { xml, batch } = await debitBatchFile(trx, companyId, messageId);
      await alongside?.(trx, batch);
      writeFileSync(tmp, xml);
      written = true;
      return { ...batch, file: options.out };
    });
    renameSync(tmp, options.out);
    return batch;
  } catch (error) {
    if (written) rmSync(tmp, { force: true });
    throw error;
  }
}
