import { sql, type Transaction } from 'kysely';
import { defaultLanguageFor } from '../domain/countries.ts';
import { newId } from '../shared/ids.ts';
import { insertRecords } from '../storage/bulk.ts';
import { newCustomerRow } from '../storage/customers.ts';
import { nowIso } from '../storage/database.ts';
import { inIds, inTexts } from '../storage/in-list.ts';
import type { CustomerRow, Database } from '../storage/schema.ts';
import { customerCodeBase, type BuyerIdentity } from './ledger-writes.ts';

type Trx = Transaction<Database>;
type Found = { id: string; code: string };

/** Keeps, for each key, the customer of lowest code: what the one-by-one lookup ordered by code would take first. */
function keep(index: Map<string, Found>, key: string, found: Found): void {
  const current = index.get(key);
  if (!current || found.code < current.code) index.set(key, found);
}

/**
 * findOrCreateCustomer for a batch of e-invoices: the customers their buyers may match read in three queries, the
 * buyers resolved in memory in file order (a buyer created by one file is found by the next), the new customers
 * written together by `flush`. Contacts are tracked alike for ensureContactEmail.
 */
export class BuyerIndex {
  private readonly bySiren = new Map<string, Found>();
  private readonly byVat = new Map<string, Found>();
  /** Customers with neither SIREN nor VAT number, by their name as the database lowers it. */
  private readonly byName = new Map<string, Found>();
  private readonly created: CustomerRow[] = [];
  private readonly codes = new Set<string>();
  private readonly emails = new Map<string, string[]>();
  private readonly contacts: Record<string, unknown>[] = [];
  /** Customers that got a contact: their invoices' next action is worked out again. */
  readonly touched = new Set<string>();

  private constructor(
    private readonly trx: Trx,
    private readonly companyId: string,
  ) {}

  static async load(trx: Trx, companyId: string, buyers: BuyerIdentity[]): Promise<BuyerIndex> {
    const index = new BuyerIndex(trx, companyId);
    const sirens = [...new Set(buyers.flatMap((b) => (b.siren ? [b.siren] : [])))];
    const vats = [...new Set(buyers.flatMap((b) => (b.vatNumber ? [b.vatNumber] : [])))];
    const names = [...new Set(buyers.filter((b) => !b.siren && !b.vatNumber).map((b) => b.name.toLowerCase()))];
    const select = () =>
      trx.selectFrom('customers').select(['id', 'code']).where('company_id', '=', companyId).orderBy('code');
    if (sirens.length > 0)
      for (const c of await select()
        .select('siren')
        .where(inTexts(trx, 'siren', sirens))
        .execute())
        keep(index.bySiren, c.siren!, c);
    if (vats.length > 0)
      for (const c of await select()
        .select('vat_number')
        .where(inTexts(trx, 'vat_number', vats))
        .execute())
        keep(index.byVat, c.vat_number!, c);
    if (names.length > 0) {
      const rows = await select()
        .select(sql<string>`lower(name)`.as('lowered'))
        .where(sql<boolean>`lower(name) in (${sql.join(names)})`)
        .where('siren', 'is', null)
        .where('vat_number', 'is', null)
        .execute();
      for (const c of rows) keep(index.byName, c.lowered, c);
    }
    await index.loadContacts(
      [...index.bySiren.values(), ...index.byVat.values(), ...index.byName.values()].map((c) => c.id),
    );
    return index;
  }

  async resolve(buyer: BuyerIdentity): Promise<Found & { created: boolean }> {
    const found =
      (buyer.siren ? this.bySiren.get(buyer.siren) : undefined) ??
      (buyer.vatNumber ? this.byVat.get(buyer.vatNumber) : undefined) ??
      (!buyer.siren && !buyer.vatNumber ? this.byName.get(buyer.name.toLowerCase()) : undefined);
    if (found) return { ...found, created: false };
    const row = newCustomerRow(
      this.companyId,
      {
        code: await this.freeCode(buyer),
        name: buyer.name,
        kind: 'company',
        siren: buyer.siren,
        vatNumber: buyer.vatNumber,
        address: buyer.address,
        language: defaultLanguageFor(buyer.address.country),
        salesRep: null,
        paymentTerms: null,
        notes: null,
      },
      nowIso(),
    );
    this.created.push(row);
    this.codes.add(row.code);
    this.emails.set(row.id, []);
    const customer = { id: row.id, code: row.code };
    if (buyer.siren) this.bySiren.set(buyer.siren, customer);
    if (buyer.vatNumber) this.byVat.set(buyer.vatNumber, customer);
    if (!buyer.siren && !buyer.vatNumber) this.byName.set(buyer.name.toLowerCase(), customer);
    return { ...customer, created: true };
  }

  private async freeCode(buyer: BuyerIdentity): Promise<string> {
    const base = customerCodeBase(buyer);
    const taken = new Set(
      (
        await this.trx
          .selectFrom('customers')
          .select('code')
          .where('company_id', '=', this.companyId)
          .where('code', 'like', `${base}%`)
          .execute()
      ).map((r) => r.code),
    );
    for (const code of this.codes) if (code.startsWith(base)) taken.add(code);
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  /** Reads the e-mails of these customers (those not created here), once, before ensureContactEmail. */
  async loadContacts(customerIds: string[]): Promise<void> {
    const missing = [...new Set(customerIds.filter((id) => !this.emails.has(id)))];
    if (missing.length === 0) return;
    for (const id of missing) this.emails.set(id, []);
    const rows = await this.trx
      .selectFrom('contacts')
      .select(['customer_id', 'email'])
      .where('company_id', '=', this.companyId)
      .where(inIds(this.trx, 'customer_id', missing))
      .execute();
    for (const r of rows) this.emails.get(r.customer_id)!.push((r.email ?? '').toLowerCase());
  }

  /** ensureContactEmail: the e-mail becomes a contact unless the customer has it; the first is the primary one. */
  ensureContactEmail(customerId: string, email: string): void {
    const emails = this.emails.get(customerId)!;
    if (emails.includes(email.toLowerCase())) return;
    this.contacts.push({
      company_id: this.companyId,
      id: newId(),
      customer_id: customerId,
      name: null,
      email,
      phone: null,
      role: null,
      is_primary: emails.length === 0 ? 1 : 0,
    });
    emails.push(email.toLowerCase());
    this.touched.add(customerId);
  }

  /** Writes the customers and contacts made since the last flush, and resets the next action of the customers' invoices. */
  async flush(): Promise<void> {
    await insertRecords(this.trx, 'customers', this.created.splice(0));
    await insertRecords(this.trx, 'contacts', this.contacts.splice(0));
    if (this.touched.size > 0) {
      await this.trx
        .updateTable('invoices')
        .set({ next_action_date: null, updated_at: nowIso() })
        .where('company_id', '=', this.companyId)
        .where(inIds(this.trx, 'customer_id', [...this.touched]))
        .execute();
      this.touched.clear();
    }
  }
}
