import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * A company's own versions of the message templates (one row per kind and language; a missing row means
 * the built-in default), and the two company settings the messages need: the payment-link pattern and
 * the number of days a formal notice gives.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable('templates')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('letter', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('templates_pk', ['company_id', 'key', 'language'])
    .execute();
  // A URL with {{ reference }} / {{ amount }} placeholders, e.g. a payment provider's hosted page.
  await db.schema.alterTable('companies').addColumn('payment_link_pattern', 'text').execute();
  await db.schema.alterTable('companies').addColumn('formal_notice_days', 'integer', (c) => c.notNull().defaultTo(8)).execute();
}
