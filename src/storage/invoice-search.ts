import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';
import { isPostgres } from './migrations/column-types.ts';
import { sortsByCodePoint } from './migrations/0038-number-prefix-collation.ts';
import { foldForSearch } from '../domain/search-text.ts';
import { containsPattern } from './customers.ts';

type Eb = ExpressionBuilder<Database & { i: Database['invoices']; c: Database['customers'] }, 'i' | 'c'>;

export type InvoiceSearch = {
  condition(eb: Eb): Expression<SqlBool>;
  /** Few candidate invoices, found through indexes: better sorted than found by walking the number index. */
  narrow: boolean;
  /** The condition reads the customer's columns (c.code, c.name), so the query must join customers. */
  needsCustomer: boolean;
};

/**
 * The customers whose code or name contains `text`, accents and case ignored, from an index of their folded
 * search text (migration 0018): SQLite's FTS5 trigram table answers LIKE for three characters or more; on
 * PostgreSQL the planner takes the pg_trgm index for the same LIKE.
 */
function matchingCustomers(db: Db, companyId: string, text: string) {
  const base = db.selectFrom('customers').select('id').where('company_id', '=', companyId);
  const folded = foldForSearch(text);
  if (isPostgres(db) || [...folded].length < 3 || /[\\%_]/.test(folded))
    return base.where('search_text', 'like', containsPattern(text));
  return base.where(
    sql.ref('rowid'),
    'in',
    sql`(select rowid from customers_search where search_text like ${`%${folded}%`})`,
  );
}

/** Up to this many matching customers are looked up by id; beyond, the number order is walked and each row checked. */
const LISTED_CUSTOMERS = 1000;

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The smallest string above every string starting with `prefix`, in code point order (null: none). */
function pastPrefix(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
}

const codePointOrder = new WeakMap<object, Promise<boolean>>();

/**
 * Whether text comparisons follow code points, so that a prefix is an index range. SQLite's BINARY
 * collation does; PostgreSQL does under the C collations, not under a language's (en_US sorts 'FC-1'
 * with 'FC1'), where LIKE 'prefix%' is used instead.
 */
function comparesByCodePoint(db: Db): Promise<boolean> {
  if (!isPostgres(db)) return Promise.resolve(true);
  let known = codePointOrder.get(db);
  if (!known) {
    known = sortsByCodePoint(db as Kysely<unknown>);
    codePointOrder.set(db, known);
  }
  return known;
}

/**
 * What a user types in the invoices' search box is an invoice number, a customer code or a customer name.
 * Without a customer filter `text` matches an invoice number starting with it (as typed, in capitals or in
 * small letters: index ranges of the number) or a customer whose code or name contains it, accents and case
 * ignored (an index of the customers' folded search text, then their invoices through the customer index).
 * Titles and the middle of numbers would need every invoice read, so they are searched only within one
 * customer's invoices (`withinCustomer`), where `text` may be any part of the number, title, code or name.
 */
export async function invoiceSearch(
  db: Db,
  companyId: string,
  text: string,
  withinCustomer: boolean,
): Promise<InvoiceSearch> {
  const pattern = likePattern(text);
  const like = (eb: Eb, column: 'i.number' | 'i.title') =>
    eb(eb.fn('lower', [column]), 'like', sql<string>`${pattern} escape '\\'`);
  if (withinCustomer) {
    return {
      narrow: false,
      needsCustomer: true,
      condition: (eb) =>
        eb.or([like(eb, 'i.number'), like(eb, 'i.title'), eb('c.search_text', 'like', containsPattern(text))]),
    };
  }
  const customers = matchingCustomers(db, companyId, text);
  const [found, byRange] = await Promise.all([
    customers.limit(LISTED_CUSTOMERS + 1).execute(),
    comparesByCodePoint(db),
  ]);
  const listed = found.length <= LISTED_CUSTOMERS;
  const prefixes = [...new Set([text, text.toUpperCase(), text.toLowerCase()])];
  const ranges = prefixes.map((prefix) =>
    db
      .selectFrom('invoices')
      .select('id')
      .where('company_id', '=', companyId)
      .where((eb) => {
        if (!byRange)
          return eb('number', 'like', sql<string>`${`${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} escape '\\'`);
        const past = pastPrefix(prefix);
        return past === null
          ? eb('number', '>=', prefix)
          : eb.and([eb('number', '>=', prefix), eb('number', '<', past)]);
      }),
  );
  if (!listed) {
    // Many customers match (a common word of company names): walking the number order finds a page soon.
    return {
      narrow: false,
      needsCustomer: false,
      condition: (eb) =>
        eb.or([eb('i.customer_id', 'in', customers), ...ranges.map((range) => eb('i.id', 'in', range))]),
    };
  }
  // One set of ids, each part found through its own index, so that the planner has nothing to weigh against
  // walking the whole ledger (SQLite's sampled statistics misjudge a one-company ledger): the number ranges,
  // and the customers' invoices with the customers as the outer loop (SQLite keeps the order of a CROSS JOIN).
  const ofCustomers = db
    .selectFrom('customers as c2')
    .crossJoin('invoices as i2')
    .select('i2.id')
    .where('c2.company_id', '=', companyId)
    .where(
      'c2.id',
      'in',
      found.map((c) => c.id),
    )
    .whereRef('i2.company_id', '=', 'c2.company_id')
    .whereRef('i2.customer_id', '=', 'c2.id');
  let ids = found.length > 0 ? (ofCustomers as unknown as (typeof ranges)[number]) : ranges[0]!;
  for (const range of found.length > 0 ? ranges : ranges.slice(1)) ids = ids.unionAll(range);
  return { narrow: true, needsCustomer: false, condition: (eb) => eb('i.id', 'in', ids) };
}
