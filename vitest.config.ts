import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration layers start real servers; keep the default per-file isolation.
    testTimeout: 30_000,
  },
});
