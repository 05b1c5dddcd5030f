import { sql, type Kysely, type CreateTableBuilder } from 'kysely';
import { columnTypes } from './column-types.ts';

/**
 * The ledger. Every tenant table starts its keys with company_id so that a distributed PostgreSQL can
 * shard by company, and foreign keys carry company_id too, so one company's row can never point at
 * another company's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema.createTable('companies')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('legal_name', 'text', (c) => c.notNull())
    .addColumn('siren', 'text')
    .addColumn('vat_number', 'text')
    .addColumn('address_line1', 'text')
    .addColumn('address_line2', 'text')
    .addColumn('postcode', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text', (c) => c.notNull().defaultTo('FR'))
    .addColumn('iban', 'text')
    .addColumn('bic', 'text')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('EUR'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Paris'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('letterhead', 'text')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  // At most one default company, even when two processes start on an empty database at once.
  await db.schema.createIndex('companies_default_uq').on('companies').column('is_default').unique()
    .where(sql.ref('is_default'), '=', 1).execute();

  const tenant = <N extends string>(name: N) =>
    db.schema.createTable(name)
      .addColumn('company_id', t.id, (c) => c.notNull().references('companies.id'))
      .addColumn('id', t.id, (c) => c.notNull());
  const keyed = (table: CreateTableBuilder<string, never>, name: string) =>
    table.addPrimaryKeyConstraint(`${name}_pk`, ['company_id', 'id'] as never);

  await keyed(tenant('customers')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('company', 'individual')`))
    .addColumn('siren', 'text')
    .addColumn('vat_number', 'text')
    .addColumn('address_line1', 'text')
    .addColumn('address_line2', 'text')
    .addColumn('postcode', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text', (c) => c.notNull().defaultTo('FR'))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('sales_rep', 'text')
    .addColumn('payment_terms', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('customers_code_uq', ['company_id', 'code'] as never), 'customers').execute();

  await keyed(tenant('contacts')
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('role', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addForeignKeyConstraint('contacts_customer_fk', ['company_id', 'customer_id'] as never, 'customers',
      ['company_id', 'id'], (c) => c.onDelete('cascade')), 'contacts').execute();
  await db.schema.createIndex('contacts_customer_ix').on('contacts').columns(['company_id', 'customer_id']).execute();

  await keyed(tenant('invoices')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('issue_date', t.date, (c) => c.notNull())
    .addColumn('due_date', t.date, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total_excl_tax', t.money)
    .addColumn('total', t.money, (c) => c.notNull())
    .addColumn('allocated', t.money, (c) => c.notNull().defaultTo(0))
    .addColumn('title', 'text')
    .addColumn('sales_rep', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('issued').check(sql`status in ('issued', 'cancelled')`))
    .addColumn('disputed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dispute_reason', 'text')
    .addColumn('promise_to_pay_date', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('invoices_number_uq', ['company_id', 'number'] as never)
    .addCheckConstraint('invoices_allocated_ck', sql`allocated >= 0 and allocated <= total`)
    .addForeignKeyConstraint('invoices_customer_fk', ['company_id', 'customer_id'] as never, 'customers',
      ['company_id', 'id']), 'invoices').execute();
  await db.schema.createIndex('invoices_customer_ix').on('invoices').columns(['company_id', 'customer_id']).execute();

  await db.schema.createTable('invoice_files')
    .addColumn('company_id', t.id, (c) => c.notNull())
    .addColumn('invoice_id', t.id, (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('content', t.blob, (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('invoice_files_pk', ['company_id', 'invoice_id'])
    .addForeignKeyConstraint('invoice_files_invoice_fk', ['company_id', 'invoice_id'], 'invoices',
      ['company_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();

  await keyed(tenant('credit_notes')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('date', t.date, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total', t.money, (c) => c.notNull().check(sql`total > 0`))
    .addColumn('reason', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('credit_notes_number_uq', ['company_id', 'number'] as never)
    .addForeignKeyConstraint('credit_notes_customer_fk', ['company_id', 'customer_id'] as never, 'customers',
      ['company_id', 'id']), 'credit_notes').execute();

  await keyed(tenant('payments')
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('date', t.date, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', t.money, (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('method', 'text', (c) => c.notNull()
      .check(sql`method in ('transfer', 'cheque', 'card', 'direct_debit', 'cash', 'other')`))
    .addColumn('reference', 'text')
    .addColumn('import_key', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('payments_import_key_uq', ['company_id', 'import_key'] as never)
    .addForeignKeyConstraint('payments_customer_fk', ['company_id', 'customer_id'] as never, 'customers',
      ['company_id', 'id']), 'payments').execute();

  await keyed(tenant('allocations')
    .addColumn('invoice_id', t.id, (c) => c.notNull())
    .addColumn('payment_id', t.id)
    .addColumn('credit_note_id', t.id)
    .addColumn('date', t.date, (c) => c.notNull())
    .addColumn('amount', t.money, (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint('allocations_source_ck',
      sql`(payment_id is null) <> (credit_note_id is null)`)
    .addForeignKeyConstraint('allocations_invoice_fk', ['company_id', 'invoice_id'] as never, 'invoices',
      ['company_id', 'id'])
    .addForeignKeyConstraint('allocations_payment_fk', ['company_id', 'payment_id'] as never, 'payments',
      ['company_id', 'id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('allocations_credit_note_fk', ['company_id', 'credit_note_id'] as never,
      'credit_notes', ['company_id', 'id'], (c) => c.onDelete('cascade')), 'allocations').execute();
  await db.schema.createIndex('allocations_invoice_ix').on('allocations').columns(['company_id', 'invoice_id']).execute();
  await db.schema.createIndex('allocations_payment_ix').on('allocations').columns(['company_id', 'payment_id']).execute();
  await db.schema.createIndex('allocations_credit_note_ix').on('allocations')
    .columns(['company_id', 'credit_note_id']).execute();

  await keyed(tenant('quotes')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('date', t.date, (c) => c.notNull())
    .addColumn('valid_until', t.date, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total', t.money, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending')
      .check(sql`status in ('pending', 'accepted', 'refused')`))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('quotes_number_uq', ['company_id', 'number'] as never)
    .addForeignKeyConstraint('quotes_customer_fk', ['company_id', 'customer_id'] as never, 'customers',
      ['company_id', 'id']), 'quotes').execute();

  await keyed(tenant('payment_schedules')
    .addColumn('invoice_id', t.id, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('payment_schedules_invoice_uq', ['company_id', 'invoice_id'] as never)
    .addForeignKeyConstraint('payment_schedules_invoice_fk', ['company_id', 'invoice_id'] as never, 'invoices',
      ['company_id', 'id'], (c) => c.onDelete('cascade')), 'payment_schedules').execute();

  await db.schema.createTable('instalments')
    .addColumn('company_id', t.id, (c) => c.notNull())
    .addColumn('schedule_id', t.id, (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('due_date', t.date, (c) => c.notNull())
    .addColumn('amount', t.money, (c) => c.notNull().check(sql`amount > 0`))
    .addPrimaryKeyConstraint('instalments_pk', ['company_id', 'schedule_id', 'seq'])
    .addForeignKeyConstraint('instalments_schedule_fk', ['company_id', 'schedule_id'], 'payment_schedules',
      ['company_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();

  await keyed(tenant('imports')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull()), 'imports').execute();
}
