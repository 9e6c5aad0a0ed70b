import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['switchyard-source'] },
  test: {
    name: 'server',
    include: ['test/**/*.test.ts'],
    // PGlite boots a WASM Postgres per suite; give it room on a 2-core CI machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
