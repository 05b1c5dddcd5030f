import { CompiledQuery, sql, type Transaction } from 'kysely';
import type { Actor } from '../../shared/actor.ts';
import type { PaymentInput } from '../../settlements/record-payment.ts';
import { writeSettlements } from '../../settlements/write-settlements.ts';
import { insertRecords } from '../../storage/bulk.ts';
import { isPostgres } from '../../storage/migrations/column-types.ts';
import type { BankLineRow, Database } from '../../storage/schema.ts';

/**
 * The payments, direct-debit settlements and bank lines of a statement, written together: a statement of a
 * thousand credits then costs a few statements (COPY on PostgreSQL) instead of several round trips a line.
 */
export class PendingWrites {
  settlements: { payments: PaymentInput[]; creditNotes: [] } = { payments: [], creditNotes: [] };
  /** The end-to-end id of the direct debit each payment settles, by payment position. */
  debits: (string | null)[] = [];
  /** Each line with the position of its (first) payment, if it has one. */
  lines: { row: BankLineRow; payment?: number }[] = [];

  pay(payment: PaymentInput, endToEndId: string | null): number {
    this.settlements.payments.push(payment);
    this.debits.push(endToEndId);
    return this.settlements.payments.length - 1;
  }

  async flush(trx: Transaction<Database>, actor: Actor): Promise<void> {
    const { payments } = await writeSettlements(trx, actor, this.settlements);
    const ids: string[] = [];
    const endToEnd: string[] = [];
    this.debits.forEach((e2e, i) => {
      if (e2e === null) return;
      ids.push(payments[i]!.id);
      endToEnd.push(e2e);
    });
    await settleDebits(trx, actor.companyId, endToEnd, ids);
    await insertRecords(
      trx,
      'bank_lines',
      this.lines.map(({ row, payment }) => ({
        ...row,
        payment_id: payment === undefined ? null : payments[payment]!.id,
      })),
    );
    this.settlements = { payments: [], creditNotes: [] };
    this.debits = [];
    this.lines = [];
  }
}

/** Direct debits paid by the statement: each marked paid with its payment (one UPDATE on PostgreSQL). */
async function settleDebits(
  trx: Transaction<Database>,
  companyId: string,
  endToEndIds: string[],
  paymentIds: string[],
): Promise<void> {
  if (endToEndIds.length === 0) return;
  if (isPostgres(trx)) {
    await sql`update direct_debits d set status = 'paid', payment_id = v.payment_id
      from unnest(${endToEndIds}::text[], ${paymentIds}::uuid[]) as v(end_to_end_id, payment_id)
      where d.company_id = ${companyId} and d.end_to_end_id = v.end_to_end_id`.execute(trx);
    return;
  }
  await trx.executeQuery(
    CompiledQuery.raw(
      `/*each row*/ update direct_debits set status = 'paid', payment_id = ? where company_id = ? and end_to_end_id = ?`,
      endToEndIds.map((e2e, i) => [paymentIds[i], companyId, e2e]),
    ),
  );
}
