import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * Who may create companies, and how an existing account joins another company. Creating a company makes
 * its creator admin there, so only administrators of the installation may (flag on the global user). An
 * account that already exists is never added to a company behind its back: the company's admin invites
 * the e-mail, and the account's owner accepts (or not) once logged in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('users').addColumn('installation_admin', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Whoever administers the first company of an existing installation (the one set up first) keeps the right.
  await sql`update users set installation_admin = 1 where id in (select m.user_id from memberships m where m.role = 'admin'
    and m.company_id = (select id from companies order by is_default desc, created_at, id limit 1))`.execute(db);

  await db.schema.createTable('invitations')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'collector', 'viewer')`))
    .addColumn('sales_rep', 'text')
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('invitations_pk', ['company_id', 'id'])
    .execute();
  await db.schema.createIndex('invitations_user_ix').on('invitations').columns(['user_id', 'company_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('invitations').execute();
  await db.schema.alterTable('users').dropColumn('installation_admin').execute();
}
