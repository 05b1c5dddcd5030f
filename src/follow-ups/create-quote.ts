import type { Quote } from '../domain/ledger.ts';
import { assertSees, type Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import { getCustomer } from '../storage/customers.ts';
import type { Db } from '../storage/database.ts';
import { createQuote as insertQuote } from '../storage/quotes.ts';
import { inTransaction } from '../storage/transactions.ts';

/** Records a quote (devis) for a customer the actor sees, with its audit row. */
export async function createQuote(db: Db, actor: Actor, input: Omit<Quote, 'id'>): Promise<Quote> {
  return inTransaction(db, async (trx) => {
    assertSees(
      actor,
      await getCustomer(trx, actor.companyId, input.customerId),
      `customer with id ${input.customerId}`,
    );
    const created = await insertQuote(trx, actor.companyId, input);
    await auditBy(trx, actor, 'quote.created', created.number);
    return created;
  });
}
