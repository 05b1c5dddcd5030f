import type { Kysely } from 'kysely';
import { columnTypes, isPostgres } from './column-types.ts';

/**
 * Letters (issue 4): each company's letter settings (envelope window, logo, duplex printing) in their own
 * row, so reading a company never loads its logo; and the documents produced, such as the printable batch
 * of a run, with where the file is. One batch per run and kind: a resumed run replaces its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const mm = isPostgres(db) ? 'double precision' : 'real';

  await db.schema.createTable('letter_settings')
    .addColumn('company_id', t.id, (c) => c.primaryKey().references('companies.id'))
    .addColumn('window_left_mm', mm, (c) => c.notNull())
    .addColumn('window_top_mm', mm, (c) => c.notNull())
    .addColumn('window_width_mm', mm, (c) => c.notNull())
    .addColumn('window_height_mm', mm, (c) => c.notNull())
    .addColumn('duplex', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('logo', t.blob)
    .addColumn('logo_media_type', 'text')
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema.createTable('documents')
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('run_id', t.id)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('letters', 'integer', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('documents_pk', ['company_id', 'id'])
    .addUniqueConstraint('documents_run_uq', ['company_id', 'run_id', 'kind'])
    .addForeignKeyConstraint('documents_run_fk', ['company_id', 'run_id'], 'runs', ['company_id', 'id'])
    .execute();
}
