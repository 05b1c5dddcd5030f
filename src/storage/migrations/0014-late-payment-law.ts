import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * Late-payment law as data. The rates relance ships stay in code (src/domain/late-payment/rate-data.ts); this
 * table holds the values a company enters itself (a new ECB or Bank of England decision, a French arrêté not yet
 * shipped), each with its source, which override the shipped value of the same series and date.
 * `customers.governing_law` is the "loi applicable" of a contract that chose another law than the seller's
 * (FR, DE, GB or EU); null follows the default rule (src/domain/late-payment/law.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable('late_payment_rates')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('series', 'text', (c) => c.notNull()
      .check(sql`series in ('ecb_mro', 'boe_bank_rate', 'fr_legal_professional', 'fr_legal_individual')`))
    .addColumn('effective_from', t.date, (c) => c.notNull())
    .addColumn('rate_bp', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('late_payment_rates_pk', ['company_id', 'series', 'effective_from'])
    .execute();
  await db.schema.alterTable('customers').addColumn('governing_law', 'text',
    (c) => c.check(sql`governing_law in ('FR', 'DE', 'GB', 'EU')`)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('customers').dropColumn('governing_law').execute();
  await db.schema.dropTable('late_payment_rates').execute();
}
