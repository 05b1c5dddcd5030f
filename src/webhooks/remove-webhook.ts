import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { deleteWebhook } from '../storage/webhooks.ts';

/** Removes a webhook of the actor's company and its pending deliveries, with its audit row. */
export async function removeWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await deleteWebhook(trx, actor.companyId, id);
    await auditBy(trx, actor, 'webhook.deleted', id);
  });
}
