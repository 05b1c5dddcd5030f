import { nowIso, type Db } from './database.ts';
import type { TemplateRow } from './schema.ts';

/** The rows of the company's own template versions; the rules (keys, defaults, checks) are in src/templates/stored.ts. */
export async function templateRow(
  db: Db,
  companyId: string,
  key: string,
  language: string,
): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('templates')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('key', '=', key)
    .where('language', '=', language)
    .executeTakeFirst();
}

export async function templateRows(db: Db, companyId: string): Promise<TemplateRow[]> {
  return db.selectFrom('templates').selectAll().where('company_id', '=', companyId).execute();
}

export async function upsertTemplateRow(
  db: Db,
  companyId: string,
  template: Pick<TemplateRow, 'key' | 'language' | 'subject' | 'text' | 'html' | 'letter'>,
): Promise<TemplateRow> {
  const row: TemplateRow = { company_id: companyId, ...template, updated_at: nowIso() };
  await db
    .insertInto('templates')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['company_id', 'key', 'language']).doUpdateSet({
        subject: row.subject,
        text: row.text,
        html: row.html,
        letter: row.letter,
        updated_at: row.updated_at,
      }),
    )
    .execute();
  return row;
}

export async function deleteTemplateRow(db: Db, companyId: string, key: string, language: string): Promise<void> {
  await db
    .deleteFrom('templates')
    .where('company_id', '=', companyId)
    .where('key', '=', key)
    .where('language', '=', language)
    .execute();
}
