import type { Kysely } from 'kysely';
import type { IsoDate } from '../domain/calendar.ts';
import type { Language } from '../domain/ledger.ts';
import type { Actor } from '../shared/actor.ts';
import { auditBy } from '../storage/audit.ts';
import type { OutboxMessage } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import { dispatchAfterQueueing } from './dispatch-after.ts';
import type { DispatchReport } from './dispatch.ts';
import { sendSimulation } from './test-send.ts';

/**
 * Mails the simulation (per customer and level, which invoices will be reminded) to an address: the message is queued
 * with its audit row in one transaction, then the outbox is dispatched once.
 */
export async function mailSimulation(
  db: Kysely<Database>,
  actor: Actor,
  input: { to: string; date?: IsoDate; language?: Language },
  options: { dataDir?: string; onError?: (error: unknown) => void } = {},
): Promise<{ message: OutboxMessage; dispatch: DispatchReport }> {
  const message = await sendSimulation(db, actor.companyId, input, (trx, queued) =>
    auditBy(trx, actor, 'mail.simulation_sent', queued.id, { to: input.to }),
  );
  return { message, dispatch: await dispatchAfterQueueing(db, actor.companyId, options) };
}
