import type { Kysely } from 'kysely';
import { dispatchOutbox } from '../../../src/mail/dispatch.ts';
import type { Database } from '../../../src/storage/schema.ts';

export type DispatchTotals = { sent: number; retried: number; failed: number; interrupted: number };

/** Dispatches until a pass finds nothing due, adding up what each pass did (the crash children print it). */
export async function dispatchUntilIdle(
  db: Kysely<Database>,
  companyId: string,
  leaseSeconds: number,
): Promise<DispatchTotals> {
  const totals: DispatchTotals = { sent: 0, retried: 0, failed: 0, interrupted: 0 };
  for (;;) {
    const report = await dispatchOutbox(db, companyId, { leaseSeconds, limit: 200 });
    totals.sent += report.sent;
    totals.retried += report.retried;
    totals.failed += report.failed;
    totals.interrupted += report.interrupted;
    if (report.sent + report.retried + report.failed === 0) return totals;
  }
}
