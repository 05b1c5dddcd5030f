import { type Kysely } from 'kysely';

/**
 * The company's payment-page settings: how many days a link opens the page (60 until now), and whether the
 * collectors hear by e-mail of what customers do on the page and of their answers (on by default).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('companies')
    .addColumn('portal_link_days', 'integer', (c) => c.notNull().defaultTo(60))
    .execute();
  await db.schema
    .alterTable('companies')
    .addColumn('notify_answers', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('companies').dropColumn('notify_answers').execute();
  await db.schema.alterTable('companies').dropColumn('portal_link_days').execute();
}
