import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';
import { isPostgres } from './migrations/column-types.ts';
import { foldForSearch } from '../domain/search-text.ts';
import { comparesByCodePoint, gatherIsCheaper, ledgerSize, pastPrefix } from './search-facts.ts';
import { cachedSearch, dataVersion, keepSearch, keptInvoices, pageOf } from './search-cache.ts';

type Eb = ExpressionBuilder<Database & { i: Database['invoices']; c: Database['customers'] }, 'i' | 'c'>;
/** Names a value of the statement (invoice-list.ts binds them per request into one compiled shape). */
export type Bind = (name: string) => never;

export type InvoiceSearch = {
  /** What the statement looks like: statements of the same shape differ only by their values. */
  shape: string;
  /** The values the condition binds, by name. */
  values: Record<string, unknown>;
  condition(eb: Eb, bind: Bind): Expression<SqlBool>;
  /**
   * The candidate invoices are gathered through indexes and then sorted (few of them); otherwise the list walks
   * its sort order and checks each invoice (many of them, so a page is found soon).
   */
  narrow: boolean;
  /** The condition reads the customer's columns (c.code, c.name), so the query must join customers. */
  needsCustomer: boolean;
  /**
   * For a gathering search filtered by nothing else and sorted by number: the keys of a page (rowid on SQLite; on
   * PostgreSQL the number, unique in the company, since its indexes do not carry the row's id) read from the
   * indexes alone, each candidate with its number, no table row read.
   */
  pageKeys?(bind: Bind, order: PageOrder): RawBuilder<unknown>;
};

/**
 * A page's direction, whether it starts after a number, and its size when written in the statement (PostgreSQL's
 * prepared page, whose generic plan is priced for that size instead of a tenth of the ledger; SQLite, which
 * prepares a statement with a bound LIMIT again at each run) rather than bound.
 */
export type PageOrder = { desc: boolean; after: boolean; limit?: number };

/**
 * Up to `listedCustomers` matching customers are passed to the statement by id (a common surname matches 2,000 of
 * 100,000 customers; finding them again inside the statement costs a second trigram search on SQLite and a scan of
 * the customers on PostgreSQL); beyond, the statement finds them itself. Tests lower it to reach that path.
 */
export const searchLimits = { listedCustomers: 5000 };

/** The escaped LIKE pattern of `text` inside any string, optionally folded. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * Whether SQLite's trigram table answers the search of `folded` (three characters or more): as a phrase of its
 * trigrams, which is the text itself anywhere in the search text. MATCH reads the index alone, where LIKE through
 * the same table read every candidate customer's row again to check it (three times the cost for a common name).
 */
function trigramSearchable(db: Db, folded: string): boolean {
  return !isPostgres(db) && [...folded].length >= 3;
}

/** An FTS5 phrase of `folded`: its characters as typed, double quotes doubled. */
function phrase(folded: string): string {
  return `"${folded.replace(/"/g, '""')}"`;
}

/**
 * `search_text` containing the pattern. On PostgreSQL the pattern is read in a sub-select, so the planner prices
 * it without seeing it: given the pattern, its statistics guess a common surname's share of the customers from a
 * sample of 100 names and scanned the whole table for some (0.2 s) rather than take the trigram index (under
 * 1 ms for a rare text, a few for a common name); unseen, a pattern gets the default share, for which the index
 * always wins. The sub-select is worked out once per statement.
 */
function containsText(db: Db, column: string, pattern: unknown): RawBuilder<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`${sql.ref(column)} like (select cast(${pattern} as text)) escape '\\'`
    : sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/**
 * The ids of the customers whose folded code or name contains `text`, from an index of their search text
 * (migration 0018): SQLite's FTS5 trigram table answers a phrase of three characters or more; on PostgreSQL the
 * pg_trgm index answers LIKE.
 */
function findCustomers(db: Db, companyId: string, folded: string): Promise<{ id: string }[]> {
  const base = db.selectFrom('customers').select('id').where('company_id', '=', companyId);
  const matching = trigramSearchable(db, folded)
    ? base.where(
        sql.ref('rowid'),
        'in',
        sql`(select rowid from customers_search where customers_search match ${phrase(folded)})`,
      )
    : base.where(containsText(db, 'search_text', containing(folded)));
  // Written in the statement: SQLite prepares a statement with a bound LIMIT again each time it runs.
  return matching.limit(sql.lit(searchLimits.listedCustomers + 1)).execute();
}

/** The page a list wants (none for totals), and whether the search is its only filter and the number its order. */
export type SearchOptions = {
  limit?: number;
  plain?: boolean;
  /** The page's place, for a page read from a kept search: after that number, in descending order. */
  after?: string;
  desc?: boolean;
};

/**
 * What a user types in the invoices' search box is an invoice number, a customer code or a customer name.
 * Without a customer filter `text` matches an invoice number starting with it (as typed, in capitals or in
 * small letters: index ranges of the number) or a customer whose code or name contains it, accents and case
 * ignored (an index of the customers' folded search text, then their invoices through the customer index).
 * Titles and the middle of numbers would need every invoice read, so they are searched only within one
 * customer's invoices (`withinCustomer`), where `text` may be any part of the number, title, code or name.
 * The page the list wants (`options`) decides between gathering and walking.
 */
export async function invoiceSearch(
  db: Db,
  companyId: string,
  text: string,
  withinCustomer: boolean,
  options: SearchOptions = {},
): Promise<InvoiceSearch> {
  const folded = foldForSearch(text);
  const pg = isPostgres(db);
  if (withinCustomer) {
    const values = { searchLower: containing(text.toLowerCase()), searchFolded: containing(folded) };
    const like = (eb: Eb, bind: Bind, column: 'i.number' | 'i.title') =>
      eb(eb.fn('lower', [column]), 'like', sql<string>`${bind('searchLower')} escape '\\'`);
    return {
      shape: 'within',
      values,
      narrow: false,
      needsCustomer: true,
      condition: (eb, bind) =>
        eb.or([
          like(eb, bind, 'i.number'),
          like(eb, bind, 'i.title'),
          eb('c.search_text', 'like', sql<string>`${bind('searchFolded')} escape '\\'`),
        ]),
    };
  }
  const [version, byRange, size] = await Promise.all([dataVersion(db), comparesByCodePoint(db), ledgerSize(db)]);
  const cacheKey = `${companyId}\n${folded}`;
  const kept = cachedSearch(db, cacheKey, version);
  const found = kept?.found ?? (await findCustomers(db, companyId, folded));
  if (!kept && version !== null) keepSearch(db, cacheKey, { version, found });
  const listed = found.length <= searchLimits.listedCustomers;
  const values: Record<string, unknown> = { searchCompany: companyId };
  const prefixes = [...new Set([text, text.toUpperCase(), text.toLowerCase()])];
  const rangeShapes: string[] = [];
  prefixes.forEach((prefix, at) => {
    if (!byRange) {
      values[`searchLike${at}`] = `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      rangeShapes.push('like');
      return;
    }
    const past = pastPrefix(prefix);
    values[`searchFrom${at}`] = prefix;
    if (past !== null) values[`searchPast${at}`] = past;
    rangeShapes.push(past === null ? 'from' : 'range');
  });
  // The customers' ids are one value (a JSON array on SQLite, an array on PostgreSQL), so that one compiled and
  // prepared statement serves every search of that shape.
  if (listed) values.searchCustomers = pg ? found.map((c) => c.id) : JSON.stringify(found.map((c) => c.id));
  else values.searchFolded = trigramSearchable(db, folded) ? phrase(folded) : containing(folded);
  const key = pg ? 'id' : 'rowid';
  const customerIds = (bind: Bind) =>
    listed
      ? pg
        ? sql`(select unnest(cast(${bind('searchCustomers')} as uuid[])))`
        : sql`(select value from json_each(${bind('searchCustomers')}))`
      : trigramSearchable(db, folded)
        ? sql`(select id from customers where company_id = ${bind('searchCompany')} and rowid in
            (select rowid from customers_search where customers_search match ${bind('searchFolded')}))`
        : sql`(select id from customers where company_id = ${bind('searchCompany')}
            and ${containsText(db, 'search_text', bind('searchFolded'))})`;
  const number = sql.ref('number');
  const inRange = (bind: Bind, shape: string, at: number) =>
    shape === 'like'
      ? sql`${number} like ${bind(`searchLike${at}`)} escape '\\'`
      : shape === 'from'
        ? sql`${number} >= ${bind(`searchFrom${at}`)}`
        : sql`${number} >= ${bind(`searchFrom${at}`)} and ${number} < ${bind(`searchPast${at}`)}`;
  const ranges = (bind: Bind, columns: RawBuilder<unknown>) =>
    rangeShapes.map(
      (shape, at) =>
        sql`select ${columns} from invoices where company_id = ${bind('searchCompany')} and ${inRange(bind, shape, at)}`,
    );
  /**
   * Every candidate once: the number ranges (distinct prefixes, so disjoint), and the customers' invoices through
   * the customer index, which holds the number, less those the ranges already have.
   */
  const candidates = (bind: Bind, columns: RawBuilder<unknown>) => {
    const parts = ranges(bind, columns);
    if (found.length > 0)
      parts.unshift(
        sql`select ${columns} from invoices where company_id = ${bind('searchCompany')}
          and customer_id in ${customerIds(bind)}
          ${sql.join(
            rangeShapes.map((shape, at) => sql`and not (${inRange(bind, shape, at)})`),
            sql` `,
          )}`,
      );
    return parts;
  };
  const keyColumn = sql.ref(key);
  // A page's keys come from the indexes alone: the rowid on SQLite, the number on PostgreSQL (reading the id of
  // each candidate from the table cost a read per customer's invoice, 300 for some codes of the 1M ledger).
  const pageKeyColumns = pg ? sql`number as k, number` : sql`${keyColumn} as k, number`;
  const invoices =
    kept && listed && byRange && options.plain && options.limit !== undefined
      ? await keptInvoices(db, companyId, kept, size.perCustomer)
      : null;
  if (invoices) {
    const page = pageOf(invoices, { limit: options.limit!, after: options.after, desc: Boolean(options.desc) });
    values.searchPage = pg ? page : JSON.stringify(page);
    // The page's keys: rowids on SQLite, numbers on PostgreSQL (search-cache.ts), each found through its index.
    const pageKeys = pg
      ? (bind: Bind) => sql`${number} in (select unnest(cast(${bind('searchPage')} as text[])))`
      : (bind: Bind) => sql`${keyColumn} in (select value from json_each(${bind('searchPage')}))`;
    const parts = (bind: Bind, columns: RawBuilder<unknown>) => [
      sql`select ${columns} from invoices where company_id = ${bind('searchCompany')} and ${pageKeys(bind)}`,
      ...ranges(bind, columns),
    ];
    return {
      shape: `kept|${rangeShapes.join(',')}`,
      values,
      narrow: true,
      needsCustomer: false,
      // Only the page asked for (the customers' part of it was picked from the kept search).
      condition: (eb, bind) =>
        eb(sql.ref(`i.${key}`), 'in', sql`(${sql.join(parts(bind, keyColumn), sql` union all `)})`),
      pageKeys: (bind, order) => pageFromParts(bind, order, parts(bind, pageKeyColumns), pg ? [] : [0], pg, true),
    };
  }
  const narrow = listed && gatherIsCheaper(found.length * size.perCustomer, size, options, pg);
  const shape = `${listed ? 'listed' : trigramSearchable(db, folded) ? 'trigram' : 'scan'}|${narrow ? 'gather' : 'walk'}|${found.length > 0 ? 'c' : '-'}|${rangeShapes.join(',')}`;
  if (!narrow) {
    // Many invoices match (a common word of company names): walking the list's order finds a page soon, each
    // invoice checked against the set of customers and the number ranges.
    return {
      shape,
      values,
      narrow: false,
      needsCustomer: false,
      condition: (eb, bind) =>
        eb.or([
          sql<SqlBool>`i.customer_id in ${customerIds(bind)}`,
          eb(sql.ref(`i.${key}`), 'in', sql`(${sql.join(ranges(bind, keyColumn), sql` union all `)})`),
        ]),
    };
  }
  // One set of candidates, each part found through its own index, so that the planner has nothing to weigh
  // against walking the whole ledger (SQLite's sampled statistics misjudge a one-company ledger): the
  // customers' invoices through the customer index, and the number ranges.
  return {
    shape,
    values,
    narrow: true,
    needsCustomer: false,
    condition: (eb, bind) =>
      eb(sql.ref(`i.${key}`), 'in', sql`(${sql.join(candidates(bind, keyColumn), sql` union all `)})`),
    // Each part brings its own first page (a number range is read in order and stops there), then the parts'
    // pages are merged: a prefix matching a whole month's invoices costs a page, not the month.
    pageKeys: (bind, order) =>
      pageFromParts(bind, order, candidates(bind, pageKeyColumns), found.length > 0 ? [0] : [], pg),
  };
}

/**
 * Each part brings its own first page (a number range is read in order and stops there), then the parts' pages
 * are merged: a prefix matching a whole month's invoices costs a page, not the month. Parts listed in `sorted`
 * are sorted from their candidates: SQLite would otherwise walk the whole number order looking for them, and so
 * would a generic plan of PostgreSQL's (the statement is a prepared one there, planned without its values, and
 * walked 30,000 invoices for a customer code's 100). Parts that may `overlap` (a kept search's page beside the
 * number ranges) are merged without repeats.
 */
function pageFromParts(
  bind: Bind,
  order: PageOrder,
  parts: RawBuilder<unknown>[],
  sorted: number[],
  pg: boolean,
  overlap = false,
): RawBuilder<unknown> {
  const direction = sql.raw(order.desc ? 'desc' : 'asc');
  const after = order.after ? sql`and number ${sql.raw(order.desc ? '<' : '>')} ${bind('afterNumber')}` : sql``;
  const limit = order.limit === undefined ? bind('limit') : sql.lit(order.limit);
  const pages = parts.map((part, at) => {
    // Sorting an expression of the number forbids its index: a unary + on SQLite, an empty suffix on PostgreSQL.
    const key = !sorted.includes(at) ? sql`number` : pg ? sql`(number || '')` : sql`+number`;
    return sql`select k, number from (${part} ${after} order by ${key} ${direction} limit ${limit}) as ${sql.id(`part${at}`)}`;
  });
  return sql`select k from (${sql.join(pages, overlap ? sql` union ` : sql` union all `)}) as candidates
    order by number ${direction} limit ${limit}`;
}
