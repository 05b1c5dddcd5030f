/**
 * The dispatcher as its own process, for the crash test: `node --import tsx dispatch-child.ts <db> <company>`.
 * Dispatches until nothing is due, then prints its totals; the test kills it with SIGKILL at random points.
 */
import { dispatchOutbox } from '../../../src/mail/dispatch.ts';
import { openStore } from '../../../src/storage/database.ts';

const [target, companyId, lease] = process.argv.slice(2);
const store = await openStore(target);
const totals = { sent: 0, retried: 0, failed: 0, interrupted: 0 };
for (;;) {
  const report = await dispatchOutbox(store.db, companyId!, { leaseSeconds: Number(lease ?? 1), limit: 200 });
  totals.sent += report.sent;
  totals.retried += report.retried;
  totals.failed += report.failed;
  totals.interrupted += report.interrupted;
  if (report.sent + report.retried + report.failed === 0) break;
}
await store.close();
process.stdout.write(`${JSON.stringify(totals)}\n`);
