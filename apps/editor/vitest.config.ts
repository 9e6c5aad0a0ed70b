import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [react()],
  resolve: { conditions: ['switchyard-source'] },
  test: {
    name: 'editor',
    include: ['test/**/*.test.ts?(x)'],
    // Component tests run in happy-dom; the end-to-end file opts into `node` with a pragma.
    environment: 'happy-dom',
    testTimeout: 15_000,
  },
});
