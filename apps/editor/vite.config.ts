import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['switchyard-source'] },
  server: {
    proxy: { '/admin': 'http://localhost:8787', '/api': 'http://localhost:8787', '/healthz': 'http://localhost:8787' },
  },
});
