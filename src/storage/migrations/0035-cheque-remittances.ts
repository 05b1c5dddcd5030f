import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * Cheque remittance slips (bordereaux de remise de chèques): the cheques taken to the bank together, numbered
 * per company, each payment pointing at the slip it went on. The partial index finds the cheques still to
 * take to the bank without reading every payment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('cheque_remittances')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('deposited_on', t.date, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total', t.money, (c) => c.notNull())
    .addColumn('cheques', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('cheque_remittances_pk', ['company_id', 'id'] as never)
    .addUniqueConstraint('cheque_remittances_number_uq', ['company_id', 'number'] as never)
    .execute();
  await db.schema.alterTable('payments').addColumn('remittance_id', t.id).execute();
  await sql`create index payments_remittance_ix on payments (company_id, remittance_id) where remittance_id is not null`.execute(
    db,
  );
  await sql`create index payments_cheques_waiting_ix on payments (company_id, date)
    where method = 'cheque' and remittance_id is null`.execute(db);
}
