/**
 * The dispatcher as its own process, for the crash test: `node dispatch-child.mjs <db> <company> <leaseSeconds>`.
 * Dispatches until nothing is due, then prints its totals; the test kills it with SIGKILL at random points.
 */
import { product } from '../../support/product.mjs';
import { dispatchUntilIdle } from './dispatch-until-idle.mjs';

const { openStore } = await product('storage/database');
const [target, companyId, lease] = process.argv.slice(2);
const store = await openStore(target);
const totals = await dispatchUntilIdle(store.db, companyId, Number(lease ?? 1));
await store.close();
process.stdout.write(`${JSON.stringify(totals)}\n`);
