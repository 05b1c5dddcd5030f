import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The suites' SMTP and webhook peers listen on the loopback, which relance refuses to reach unless
    // the installation allows it (test/proof/security-outbound.test.ts proves the refusal with this emptied).
    env: { RELANCE_OUTBOUND_ALLOW: '127.0.0.1,::1,localhost' },
  },
});
