import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of the suite waits on PostgreSQL, SMTP peers and Chromium: two files at a time on a 2-core machine
    // halve the run (measured: 24 min with one, 9 min with two).
    maxWorkers: 2,
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
  },
});
