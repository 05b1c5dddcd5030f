import type { Kysely } from 'kysely';

/**
 * Why a message is not sent, as a catalogue code and its parameters (JSON), beside the text kept for logs:
 * the outbox page, the API and the CLI say it in their reader's language (no SMTP server, server unreachable,
 * refused, cancelled at send time and why, bounced, interrupted).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('error_code', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('error_params', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('error_params').execute();
  await db.schema.alterTable('outbox').dropColumn('error_code').execute();
}
