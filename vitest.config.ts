import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // No e-mail leaves without a real sender (src/domain/identity.ts): the suite runs as a configured
    // installation would; the tests of that rule unset it.
    env: { RELANCE_MAIL_FROM: 'Relance Tests <relances@tests.relance.fr>' },
  },
});
