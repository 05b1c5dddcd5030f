import { sql } from 'kysely';
import type { Company } from '../domain/ledger.ts';
import { isId } from '../shared/ids.ts';
import { isOpenInvoice } from './open-invoice.ts';
import { ARRAY_ROWS } from './sqlite-statement-cache.ts';
import { toCompany } from './companies.ts';
import type { Db } from './database.ts';
import type { CompanyRow } from './schema.ts';

export type PortalCustomerRow = { id: string; code: string; name: string; language: string; hasLetter: boolean };

/** A payment-page link with what its page shows of the company and the customer, as of this read. */
export type PortalVisitRow = {
  link: {
    customerId: string;
    tokenHash: string;
    expiresAt: string;
    revokedAt: string | null;
    lastUsedAt: string | null;
  };
  company: Company;
  customer: PortalCustomerRow;
  /** What identifies the company's current logo without reading it (letter settings' last change, size), or null. */
  logoStamp: string | null;
};

type VisitColumns = CompanyRow & {
  portal_customer_id: string;
  portal_token_hash: string;
  portal_expires_at: string;
  portal_revoked_at: string | null;
  portal_last_used_at: string | null;
  portal_customer_code: string;
  portal_customer_name: string;
  portal_customer_language: string;
  portal_has_letter: number | boolean | null;
  portal_logo_updated_at: string | null;
  portal_logo_media_type: string | null;
  portal_logo_size: number | string | null;
};

/**
 * A link by primary key with its company, its customer, whether their last letter can be shown (lastCommunication
 * finds one) and the logo's stamp, in one statement: every view of the page starts here, and these change far
 * less often than the page is read. Written as SQL text: building it with the query builder cost more CPU than
 * running it. Null when the link, or its customer, does not exist.
 */
export async function portalVisitRow(db: Db, companyId: string, linkId: string): Promise<PortalVisitRow | null> {
  if (!isId(companyId) || !isId(linkId)) return null;
  const { rows } = await sql<VisitColumns>`select co.*, l.customer_id as portal_customer_id,
      l.token_hash as portal_token_hash, l.expires_at as portal_expires_at, l.revoked_at as portal_revoked_at,
      l.last_used_at as portal_last_used_at, c.code as portal_customer_code, c.name as portal_customer_name,
      c.language as portal_customer_language,
      (select exists (select 1 from reminders as r where r.company_id = m.company_id and r.communication_id = m.id)
        from communications as m where m.company_id = c.company_id and m.customer_id = c.id
        and m.cancelled_at is null and m.level > 0 order by m.created_at desc limit 1) as portal_has_letter,
      ls.updated_at as portal_logo_updated_at, ls.logo_media_type as portal_logo_media_type,
      length(ls.logo) as portal_logo_size
    from portal_links as l
    join customers as c on c.company_id = l.company_id and c.id = l.customer_id
    join companies as co on co.id = l.company_id
    left join letter_settings as ls on ls.company_id = l.company_id
    where co.id = ${companyId} and l.company_id = ${companyId} and l.id = ${linkId}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    link: {
      customerId: row.portal_customer_id,
      tokenHash: row.portal_token_hash,
      expiresAt: row.portal_expires_at,
      revokedAt: row.portal_revoked_at,
      lastUsedAt: row.portal_last_used_at,
    },
    company: toCompany(row),
    customer: {
      id: row.portal_customer_id,
      code: row.portal_customer_code,
      name: row.portal_customer_name,
      language: row.portal_customer_language,
      hasLetter: Boolean(row.portal_has_letter),
    },
    logoStamp: row.portal_logo_media_type ? `${row.portal_logo_updated_at}|${Number(row.portal_logo_size)}` : null,
  };
}

export type PortalInvoiceRow = {
  id: string;
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  total: number;
  allocated: number;
  disputed: boolean;
  promiseToPayDate: string | null;
  paymentAnnouncedOn: string | null;
  reminders: number;
};

/** The columns of portalInvoices, in its select list's order. */
type InvoiceColumns = [
  id: string,
  number: string,
  issueDate: string,
  dueDate: string,
  currency: string,
  total: number | string,
  allocated: number | string,
  disputed: number | boolean,
  promiseToPayDate: string | null,
  paymentAnnouncedOn: string | null,
  reminders: number | string | null,
];

/**
 * The customer's open invoices, oldest due first, each with the reminders it received (both read by customer).
 * The reminders' states are written in the text, not bound, so that SQLite matches the partial key's condition
 * (state <> 'cancelled') when it prepares the statement; the text is built without the query builder, which cost
 * more CPU than running it. Rows come back as arrays (ARRAY_ROWS): the largest customers have hundreds of open
 * invoices, and an object per row, copied into another, cost as much as the query.
 */
export async function portalInvoices(db: Db, companyId: string, customerId: string): Promise<PortalInvoiceRow[]> {
  const { rows } = await sql<InvoiceColumns | Record<string, unknown>>`${sql.raw(ARRAY_ROWS)}i.id, i.number,
      i.issue_date, i.due_date, i.currency, i.total, i.allocated, i.disputed, i.promise_to_pay_date,
      i.payment_announced_on,
      (select count(*) from reminders as r where r.company_id = i.company_id and r.invoice_id = i.id
        and r.state = 'sent' and r.state <> 'cancelled') as reminders
    from invoices as i
    where i.company_id = ${companyId} and i.customer_id = ${customerId} and ${isOpenInvoice('i')}
    order by i.due_date, i.number
    limit 500`.execute(db);
  return rows.map((row) => {
    // A client that does not honour the mark (PostgreSQL outside the pool's patched clients) gives objects.
    const r = (Array.isArray(row) ? row : Object.values(row)) as InvoiceColumns;
    return {
      id: r[0],
      number: r[1],
      issueDate: r[2],
      dueDate: r[3],
      currency: r[4],
      total: Number(r[5]),
      allocated: Number(r[6]),
      disputed: Number(r[7]) === 1,
      promiseToPayDate: r[8],
      paymentAnnouncedOn: r[9],
      reminders: Number(r[10] ?? 0),
    };
  });
}

/** The customer's newest communication that was not cancelled, with its invoices: the last letter they got. */
export async function lastCommunication(
  db: Db,
  companyId: string,
  customerId: string,
): Promise<{ level: number; sentOn: string; invoiceIds: string[] } | null> {
  const communication = await db
    .selectFrom('communications')
    .select(['id', 'level'])
    .where('company_id', '=', companyId)
    .where('customer_id', '=', customerId)
    .where('cancelled_at', 'is', null)
    .where('level', '>', 0)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!communication) return null;
  const reminders = await db
    .selectFrom('reminders')
    .select(['invoice_id', 'sent_on'])
    .where('company_id', '=', companyId)
    .where('communication_id', '=', communication.id)
    .execute();
  if (reminders.length === 0) return null;
  return {
    level: communication.level,
    sentOn: reminders[0]!.sent_on,
    invoiceIds: reminders.map((r) => r.invoice_id),
  };
}
