import { defineConfig } from 'vitest/config';

// One run over every package, so CI gets a single pass/fail count.
// The JSON report is what .ci/run reads for its closing "N passed, N failed" line.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
  },
});
