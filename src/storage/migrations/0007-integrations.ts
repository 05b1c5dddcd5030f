import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * Integrations: e-invoice lifecycle statuses, bank statement lines, SEPA mandates and direct debits,
 * and the reminders of quotes and of payment-schedule instalments. Each import keeps a natural key
 * (unique per company) so the same file imported twice changes nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const tenant = (name: string) => db.schema.createTable(name)
    .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
    .addColumn('id', t.id, (c) => c.notNull());

  // The statuses of the e-invoicing reform's lifecycle (207 en litige … 212 encaissée) received per invoice.
  await tenant('einvoice_statuses')
    .addColumn('invoice_id', t.id, (c) => c.notNull())
    .addColumn('code', 'integer', (c) => c.notNull())
    .addColumn('status_date', t.date, (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('amount', t.money)
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('einvoice_statuses_pk', ['company_id', 'id'] as never)
    .addUniqueConstraint('einvoice_statuses_uq', ['company_id', 'invoice_id', 'code', 'status_date'] as never)
    .addForeignKeyConstraint('einvoice_statuses_invoice_fk', ['company_id', 'invoice_id'] as never, 'invoices',
      ['company_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();

  await tenant('sepa_settings')
    .addColumn('creditor_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('sepa_settings_pk', ['company_id', 'id'] as never)
    .addUniqueConstraint('sepa_settings_company_uq', ['company_id'] as never)
    .execute();

  // A SEPA mandate (RUM): the customer's authorisation to debit its account.
  await tenant('sepa_mandates')
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('signed_on', t.date, (c) => c.notNull())
    .addColumn('iban', 'text', (c) => c.notNull())
    .addColumn('bic', 'text')
    // Null until a first debit is sent: the next one is then FRST, afterwards RCUR.
    .addColumn('first_debit_on', t.date)
    .addColumn('revoked_on', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('sepa_mandates_pk', ['company_id', 'id'] as never)
    .addUniqueConstraint('sepa_mandates_reference_uq', ['company_id', 'reference'] as never)
    .addForeignKeyConstraint('sepa_mandates_customer_fk', ['company_id', 'customer_id'] as never, 'customers',
      ['company_id', 'id'])
    .execute();
  await db.schema.createIndex('sepa_mandates_customer_ix').on('sepa_mandates').columns(['company_id', 'customer_id']).execute();

  // One invoice in a pain.008 file: pending until the bank statement shows it paid (or returned).
  await tenant('direct_debits')
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('invoice_id', t.id, (c) => c.notNull())
    .addColumn('mandate_id', t.id, (c) => c.notNull())
    .addColumn('collection_date', t.date, (c) => c.notNull())
    .addColumn('amount', t.money, (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('end_to_end_id', 'text', (c) => c.notNull())
    .addColumn('sequence_type', 'text', (c) => c.notNull().check(sql`sequence_type in ('FRST', 'RCUR')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'paid', 'returned')`))
    .addColumn('payment_id', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('direct_debits_pk', ['company_id', 'id'] as never)
    .addUniqueConstraint('direct_debits_e2e_uq', ['company_id', 'end_to_end_id'] as never)
    .addForeignKeyConstraint('direct_debits_invoice_fk', ['company_id', 'invoice_id'] as never, 'invoices',
      ['company_id', 'id'])
    .addForeignKeyConstraint('direct_debits_mandate_fk', ['company_id', 'mandate_id'] as never, 'sepa_mandates',
      ['company_id', 'id'])
    .execute();
  // An invoice is never in two pending debits at once, even when two files are generated concurrently.
  await db.schema.createIndex('direct_debits_pending_uq').on('direct_debits').columns(['company_id', 'invoice_id'])
    .unique().where(sql.ref('status'), '=', 'pending').execute();

  // Each credit or debit line of an imported bank statement, and what it was matched to.
  await tenant('bank_lines')
    .addColumn('import_key', 'text', (c) => c.notNull())
    .addColumn('account', 'text')
    .addColumn('booking_date', t.date, (c) => c.notNull())
    .addColumn('amount', t.money, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('counterparty', 'text')
    .addColumn('reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('matched', 'unmatched', 'ignored')`))
    .addColumn('invoice_id', t.id)
    .addColumn('payment_id', t.id)
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('bank_lines_pk', ['company_id', 'id'] as never)
    .addUniqueConstraint('bank_lines_key_uq', ['company_id', 'import_key'] as never)
    .execute();
  await db.schema.createIndex('bank_lines_status_ix').on('bank_lines').columns(['company_id', 'status']).execute();

  // Reminders of pending quotes before expiry and of instalments on their due date, each sent once.
  await tenant('quote_reminders')
    .addColumn('quote_id', t.id, (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('sent_on', t.date, (c) => c.notNull())
    .addColumn('outbox_id', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('quote_reminders_pk', ['company_id', 'id'] as never)
    .addUniqueConstraint('quote_reminders_uq', ['company_id', 'quote_id', 'level'] as never)
    .addForeignKeyConstraint('quote_reminders_quote_fk', ['company_id', 'quote_id'] as never, 'quotes',
      ['company_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();

  // The company's quote follow-up policy (JSON, the dunning policy format): kept apart from the dunning
  // policies so that it can never become an invoice policy or the default one.
  await db.schema.createTable('follow_up_settings')
    .addColumn('company_id', t.id, (c) => c.primaryKey().references('companies.id'))
    .addColumn('quote_policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await tenant('instalment_reminders')
    .addColumn('schedule_id', t.id, (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sent_on', t.date, (c) => c.notNull())
    .addColumn('outbox_id', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('instalment_reminders_pk', ['company_id', 'id'] as never)
    .addUniqueConstraint('instalment_reminders_uq', ['company_id', 'schedule_id', 'seq'] as never)
    .addForeignKeyConstraint('instalment_reminders_schedule_fk', ['company_id', 'schedule_id'] as never,
      'payment_schedules', ['company_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
}

