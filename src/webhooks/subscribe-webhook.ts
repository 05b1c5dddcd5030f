import { isIP } from 'node:net';
import { randomSecret } from '../accounts/secrets.ts';
import type { Actor } from '../shared/actor.ts';
import { AppError } from '../shared/errors.ts';
import { resolveAllowed } from '../shared/outbound.ts';
import { auditBy } from '../storage/audit.ts';
import type { Db } from '../storage/database.ts';
import { inTransaction } from '../storage/transactions.ts';
import { createWebhook, type Webhook, type WebhookEvent } from '../storage/webhooks.ts';

/**
 * Subscribes a URL to events with a new signing secret (returned only here), with its audit row. A literal internal
 * address is refused at once; a name is checked at each delivery, on the address it resolves to.
 */
export async function subscribeWebhook(
  db: Db,
  actor: Actor,
  input: { url: string; events: WebhookEvent[] },
): Promise<Webhook & { secret: string }> {
  const host = new URL(input.url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) || host === 'localhost') {
    await resolveAllowed(host).catch((error: Error) => {
      throw new AppError(
        'invalid_input',
        `url: ${error.message}.`,
        [{ field: 'body.url', reason: 'not a public address', code: 'reason.notPublic' }],
        { key: 'problem.webhooks.url', params: { reason: error.message } },
      );
    });
  }
  const secret = randomSecret('whsec_');
  const hook = await inTransaction(db, async (trx) => {
    const created = await createWebhook(trx, actor.companyId, {
      url: input.url,
      secret,
      events: [...new Set(input.events)],
    });
    await auditBy(trx, actor, 'webhook.created', created.id, { url: created.url, events: created.events });
    return created;
  });
  return { ...hook, secret };
}
