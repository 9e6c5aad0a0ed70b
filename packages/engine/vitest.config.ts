import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['switchyard-source'] },
  test: { name: 'engine', include: ['test/**/*.test.ts', 'src/**/*.test.ts'] },
});
