/**
 * A whole dunning run as its own process, for the fault tests:
 * `node --import tsx dunning-child.ts <db> <company> <date> <dataDir> <leaseSeconds>`.
 * Plans, records the reminders with their letters and queued e-mails, then dispatches until nothing is
 * due. It prints `ready`, `recorded N`, then its totals, so the test can kill it at chosen points.
 */
import { runDunning } from '../../../src/dunning/run-dunning.ts';
import { dispatchOutbox } from '../../../src/mail/dispatch.ts';
import { openStore } from '../../../src/storage/database.ts';

const [target, companyId, date, dataDir, lease] = process.argv.slice(2);
const store = await openStore(target!);
process.stdout.write('ready\n');
const run = await runDunning(store.db, companyId!, { date: date!, dataDir });
process.stdout.write(`recorded ${run.communications}\n`);
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
