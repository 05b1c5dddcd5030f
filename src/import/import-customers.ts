import { defaultLanguageFor, parseCountry } from '../domain/countries.ts';
import { isEmail, parseSiren, parseVatNumber } from '../domain/identifiers.ts';
import type { CustomerKind, Language } from '../domain/ledger.ts';
import { groupBy } from '../shared/group-by.ts';
import { newId } from '../shared/ids.ts';
import { insertRows } from '../storage/bulk.ts';
import { customerColumns, type CustomerInput } from '../storage/customers.ts';
import { nowIso } from '../storage/database.ts';
import { SeenKeys, fieldsInFile, sameValues, type ImportContext, type ImportHandler } from './handler.ts';
import { reason, type RowReader } from './row-reader.ts';

const KINDS: Record<string, CustomerKind> = {
  company: 'company',
  societe: 'company',
  entreprise: 'company',
  professionnel: 'company',
  pro: 'company',
  b2b: 'company',
  individual: 'individual',
  particulier: 'individual',
  person: 'individual',
  b2c: 'individual',
};
const LANGUAGES: Record<string, Language> = {
  fr: 'fr',
  francais: 'fr',
  french: 'fr',
  en: 'en',
  anglais: 'en',
  english: 'en',
};
const CUSTOMER_COLUMNS = [
  'company_id',
  'id',
  'code',
  'name',
  'kind',
  'siren',
  'vat_number',
  'address_line1',
  'address_line2',
  'postcode',
  'city',
  'country',
  'language',
  'sales_rep',
  'payment_terms',
  'notes',
  'search_text',
  'created_at',
  'updated_at',
] as const;
const CONTACT_COLUMNS = ['company_id', 'id', 'customer_id', 'name', 'email', 'phone', 'role', 'is_primary'] as const;

const OPTIONAL_FIELDS: Record<string, string> = {
  siren: 'siren',
  vat_number: 'vat',
  address_line1: 'address1',
  address_line2: 'address2',
  postcode: 'postcode',
  city: 'city',
  country: 'country',
  language: 'language',
  sales_rep: 'sales_rep',
};

type Parsed = { row: RowReader; customer: CustomerInput; emails: string[]; phone: string | null };

function parseRow(row: RowReader, seen: SeenKeys): Parsed | null {
  const code = row.required('code');
  const name = row.required('name');
  const kind = row.choice('kind', KINDS);
  const emailText = row.text('email');
  // A quoted cell may hold a line break, which written into a header would start one of its own.
  if (/[\r\n\u2028\u2029]/.test(emailText.trim()))
    row.fail('email', reason('import.row.emailLineBreak', 'a line break among the e-mail addresses'), emailText);
  const emails = emailText.split(/[;,\s]+/).filter((e) => e !== '');
  for (const email of emails)
    if (!isEmail(email))
      row.fail('email', reason('import.row.email', `"${email}" is not an e-mail address`, { value: email }), email);
  const sirenText = row.optional('siren');
  const siren = sirenText === null ? null : parseSiren(sirenText);
  if (siren && !siren.ok) row.fail('siren', siren, sirenText!);
  const vatText = row.optional('vat');
  const vat = vatText === null ? null : parseVatNumber(vatText);
  if (vat && !vat.ok) row.fail('vat', vat, vatText!);
  const countryText = row.optional('country');
  const country = countryText === null ? { ok: true as const, value: 'FR' } : parseCountry(countryText);
  if (!country.ok) row.fail('country', country, countryText!);
  const countryCode = country.ok ? country.value : 'FR';
  const language = row.choice('language', LANGUAGES, defaultLanguageFor(countryCode));
  if (code !== '') seen.claim(row, 'code', code);
  if (!row.ok || kind === null || language === null) return null;
  return {
    row,
    emails: emails.map((e) => e.toLowerCase()),
    phone: row.optional('phone'),
    customer: {
      code,
      name,
      kind,
      siren: siren?.ok ? siren.value : null,
      vatNumber: vat?.ok ? vat.value : null,
      address: {
        line1: row.optional('address1'),
        line2: row.optional('address2'),
        postcode: row.optional('postcode'),
        city: row.optional('city'),
        country: countryCode,
      },
      language,
      salesRep: row.optional('sales_rep'),
      paymentTerms: null,
      notes: null,
    },
  };
}

/**
 * Customers are upserted on their code. The e-mail cell may list several addresses: the first is the
 * primary billing contact. Contacts added by hand are never removed by an import.
 */
export function customersHandler(): ImportHandler {
  const seen = new SeenKeys();
  return {
    required: ['code', 'name', 'kind', 'email'],
    optional: ['siren', 'vat', 'address1', 'address2', 'postcode', 'city', 'country', 'language', 'sales_rep', 'phone'],
    chunkSize: 500,
    begin: async () => {},
    async chunk(ctx: ImportContext, rows: RowReader[]) {
      const outcome = { created: 0, updated: 0, unchanged: 0 };
      const parsed = rows.map((r) => parseRow(r, seen)).filter((p): p is Parsed => p !== null);
      if (!ctx.write || parsed.length === 0) return outcome;
      const companyId = ctx.company.id;
      const { trx } = ctx;
      const existing = await trx
        .selectFrom('customers')
        .selectAll()
        .where('company_id', '=', companyId)
        .where(
          'code',
          'in',
          parsed.map((p) => p.customer.code),
        )
        .execute();
      const byCode = new Map(existing.map((c) => [c.code, c]));
      const now = nowIso();
      const inserts: unknown[][] = [];
      const customerIds = new Map<Parsed, string>();
      const unchangedIds = new Set<string>();
      const updatedIds: string[] = [];
      for (const p of parsed) {
        const current = byCode.get(p.customer.code);
        const { payment_terms: _t, notes: _n, ...all } = customerColumns(p.customer);
        const values = fieldsInFile(all, OPTIONAL_FIELDS, p.row);
        if (!current) {
          const id = newId();
          customerIds.set(p, id);
          const row: Record<string, unknown> = {
            company_id: companyId,
            id,
            ...customerColumns(p.customer),
            created_at: now,
            updated_at: now,
          };
          inserts.push(CUSTOMER_COLUMNS.map((c) => row[c]));
          outcome.created++;
          continue;
        }
        customerIds.set(p, current.id);
        if (sameValues(values, current)) {
          outcome.unchanged++;
          unchangedIds.add(current.id);
        } else {
          await trx
            .updateTable('customers')
            .set({ ...values, updated_at: now })
            .where('company_id', '=', companyId)
            .where('id', '=', current.id)
            .execute();
          updatedIds.push(current.id);
          outcome.updated++;
        }
      }
      await insertRows(trx, 'customers', CUSTOMER_COLUMNS, inserts);
      const contactsChanged = await syncContacts(ctx, parsed, customerIds);
      // A new address or e-mail can change how the customer's invoices are reminded: the engine looks again.
      const touched = [...contactsChanged, ...updatedIds];
      if (touched.length > 0) {
        await trx
          .updateTable('invoices')
          .set({ next_action_date: null, updated_at: now })
          .where('company_id', '=', companyId)
          .where('customer_id', 'in', touched)
          .execute();
      }
      // A customer whose only change is a new e-mail address was updated, not left unchanged.
      for (const id of contactsChanged) {
        if (unchangedIds.has(id)) {
          outcome.unchanged--;
          outcome.updated++;
        }
      }
      return outcome;
    },
  };
}

/** Adds missing e-mail contacts and moves the primary flag; returns the customers whose contacts changed. */
async function syncContacts(ctx: ImportContext, parsed: Parsed[], ids: Map<Parsed, string>): Promise<Set<string>> {
  const { trx } = ctx;
  const companyId = ctx.company.id;
  const contacts = await trx
    .selectFrom('contacts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('customer_id', 'in', [...ids.values()])
    .execute();
  const byCustomer = groupBy(
    contacts,
    (c) => c.customer_id,
    (c) => c,
  );
  const inserts: unknown[][] = [];
  const changed = new Set<string>();
  for (const p of parsed) {
    if (p.emails.length === 0) continue;
    const customerId = ids.get(p)!;
    const current = byCustomer.get(customerId) ?? [];
    const primaryEmail = p.emails[0]!;
    const primary = current.find((c) => c.email?.toLowerCase() === primaryEmail);
    const otherPrimary = current.some((c) => c.is_primary === 1 && c !== primary);
    if (otherPrimary || (primary && (primary.is_primary !== 1 || (p.phone !== null && primary.phone !== p.phone)))) {
      await trx
        .updateTable('contacts')
        .set({ is_primary: 0 })
        .where('company_id', '=', companyId)
        .where('customer_id', '=', customerId)
        .execute();
      if (primary) {
        await trx
          .updateTable('contacts')
          .set({ is_primary: 1, ...(p.phone !== null ? { phone: p.phone } : {}) })
          .where('company_id', '=', companyId)
          .where('id', '=', primary.id)
          .execute();
      }
      changed.add(customerId);
    }
    p.emails.forEach((email, index) => {
      if (current.some((c) => c.email?.toLowerCase() === email)) return;
      inserts.push([
        companyId,
        newId(),
        customerId,
        null,
        email,
        index === 0 ? p.phone : null,
        'billing',
        index === 0 ? 1 : 0,
      ]);
      changed.add(customerId);
    });
  }
  await insertRows(trx, 'contacts', CONTACT_COLUMNS, inserts);
  return changed;
}
