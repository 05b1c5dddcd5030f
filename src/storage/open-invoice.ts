import { sql, type RawBuilder } from 'kysely';

/**
 * The one definition of an open invoice: issued (not cancelled) with something left to pay. Listings,
 * the planner and the recording re-check all use it, so they can never disagree on what is owed.
 */
export function isOpenInvoice(alias?: string): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  return sql<boolean>`${column('status')} = 'issued' and ${column('allocated')} < ${column('total')}`;
}
