import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { claimDueDeliveries, finishDelivery } from '../storage/webhooks.ts';
import { guardedPost } from './post.ts';

/** Minutes to wait after the 1st, 2nd… failed attempt; after the last one the delivery is marked failed. */
export const RETRY_MINUTES = [1, 5, 30, 120, 720];
const LEASE_MS = 2 * 60_000;
const TIMEOUT_MS = 10_000;

/**
 * `Relance-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (the Stripe scheme): the
 * receiver recomputes it with the webhook's secret and rejects old timestamps to stop replays.
 */
export function signature(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number }>;

/** Sends what is due once; returns how many deliveries were attempted. Each is at-least-once: receivers dedupe on Relance-Delivery. */
export async function deliverDue(db: Kysely<Database>, options: { fetch?: Fetch; now?: Date } = {}): Promise<number> {
  const send: Fetch = options.fetch ?? guardedPost;
  const now = options.now ?? new Date();
  const due = await claimDueDeliveries(db, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString());
  for (const d of due) {
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error = '';
    try {
      const response = await send(d.url, {
        method: 'POST',
        body: d.payload,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'relance-webhooks/1',
          'relance-event': d.event,
          'relance-delivery': d.id,
          'relance-signature': signature(d.secret, d.payload, timestamp),
        },
      });
      status = response.status;
      if (status >= 200 && status < 300) {
        await finishDelivery(db, d.companyId, d.id, { ok: true, status });
        continue;
      }
      error = `HTTP ${status}`;
    } catch (caught) {
      error = (caught as Error).message;
    }
    const wait = RETRY_MINUTES[d.attempts];
    await finishDelivery(db, d.companyId, d.id, {
      ok: false,
      status,
      error,
      retryAt: wait === undefined ? null : new Date(Date.now() + wait * 60_000).toISOString(),
    });
  }
  return due.length;
}

/** Polls every few seconds inside `relance serve`; stop() waits for the round under way. */
export function startWebhookDispatcher(
  db: Kysely<Database>,
  log: (message: string) => void,
  everyMs = 5000,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => deliverDue(db))
      .catch((error: unknown) => log(`webhook delivery failed: ${(error as Error).message}`));
  }, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
