/**
 * A whole dunning run as its own process, for the fault tests:
 * `node dunning-child.mjs <db> <company> <date> <dataDir> <leaseSeconds>`.
 * Plans, records the reminders with their letters and queued e-mails, then dispatches until nothing is
 * due. It prints `ready`, `recorded N`, then its totals, so the test can kill it at chosen points.
 */
import { product } from '../../support/product.mjs';
import { dispatchUntilIdle } from '../../mail/support/dispatch-until-idle.mjs';

const { runDunning } = await product('dunning/run-dunning');
const { openStore } = await product('storage/database');
const [target, companyId, date, dataDir, lease] = process.argv.slice(2);
const store = await openStore(target);
process.stdout.write('ready\n');
const run = await runDunning(store.db, companyId, { date, dataDir });
process.stdout.write(`recorded ${run.communications}\n`);
const totals = await dispatchUntilIdle(store.db, companyId, Number(lease ?? 1));
await store.close();
process.stdout.write(`${JSON.stringify(totals)}\n`);
