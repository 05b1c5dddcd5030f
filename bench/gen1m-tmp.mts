import { openCachedLedger } from '/work/main/bench/served-ledger.ts';
await openCachedLedger({ invoices: 1_000_000, customers: 100_000, seed: 1 });
process.exit(0);
