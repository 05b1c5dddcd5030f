import { type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * What a French letterhead must show beside the name (forme juridique, capital, RCS, SIRET, phone), the
 * sender of e-mails, and whether the company's ledger is demonstration data (a banner and a purge in the
 * web app; `npm start` refuses a database holding real data).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  for (const [name, type] of [['legal_form', 'text'], ['share_capital', t.money], ['siret', 'text'], ['rcs', 'text'],
    ['phone', 'text'], ['sender_name', 'text'], ['sender_email', 'text']] as const) {
    await db.schema.alterTable('companies').addColumn(name, type).execute();
  }
  await db.schema.alterTable('companies').addColumn('demo_data', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['legal_form', 'share_capital', 'siret', 'rcs', 'phone', 'sender_name', 'sender_email', 'demo_data']) {
    await db.schema.alterTable('companies').dropColumn(name).execute();
  }
}
