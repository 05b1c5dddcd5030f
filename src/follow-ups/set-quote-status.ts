import type { QuoteStatus } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { setQuoteStatus as writeStatus } from '../storage/quotes.ts';
import { inTransaction } from '../storage/transactions.ts';

/** Accepts or refuses a quote, with its audit row. */
export async function setQuoteStatus(
  db: Db,
  actor: Actor,
  number: string,
  input: { status: QuoteStatus },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await writeStatus(trx, actor.companyId, number, input.status);
    await auditBy(trx, actor, 'quote.status', number, input);
  });
}
