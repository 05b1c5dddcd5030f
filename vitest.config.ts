import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first.ts';

/** Test files that mock modules (vi.mock) and so cannot share a worker's module cache. */
const ISOLATED = ['test/proof/audit-in-transaction.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Much of the suite waits on PostgreSQL, SMTP peers, child processes and Chromium: three files at a time keep
    // the two cores of the CI machine busy (measured on it: 24 min with one worker, 9 with two; 5.7 min with three,
    // once workers share modules and stores are copied from a migrated template).
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
    // Keeps the test PostgreSQL's system catalogs compact while the suite creates and drops its schemas.
    globalSetup: ['./test/support/pg-catalog-upkeep.ts'],
    // No e-mail leaves without a real sender (src/domain/identity.ts): the suite runs as a configured
    // installation would; the tests of that rule unset it. The suites' SMTP and webhook peers listen on the
    // loopback, which relance refuses to reach unless the installation allows it
    // (test/proof/security-outbound.test.ts proves the refusal with this emptied).
    env: {
      RELANCE_MAIL_FROM: 'Relance Tests <relances@tests.relance.fr>',
      RELANCE_OUTBOUND_ALLOW: '127.0.0.1,::1,localhost',
    },
    // A worker keeps its loaded modules from one file to the next instead of importing the whole application
    // again for each of the 180 files (a third of the suite's CPU). The files that replace modules with vi.mock
    // need modules of their own and run isolated.
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
