import { product } from '../../support/product.mjs';

const { dispatchOutbox } = await product('mail/dispatch');

/**
 * Dispatches until a pass finds nothing due, adding up what each pass did (the crash children print it).
 * @param {import('kysely').Kysely<import('../../../src/storage/schema.ts').Database>} db
 * @param {string} companyId
 * @param {number} leaseSeconds
 */
export async function dispatchUntilIdle(db, companyId, leaseSeconds) {
  const totals = { sent: 0, retried: 0, failed: 0, interrupted: 0 };
  for (;;) {
    const report = await dispatchOutbox(db, companyId, { leaseSeconds, limit: 200 });
    totals.sent += report.sent;
    totals.retried += report.retried;
    totals.failed += report.failed;
    totals.interrupted += report.interrupted;
    if (report.sent + report.retried + report.failed === 0) return totals;
  }
}
