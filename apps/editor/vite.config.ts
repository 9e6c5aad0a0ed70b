import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const SERVER = 'http://localhost:8787';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['switchyard-source'] },
  server: {
    proxy: {
      // The server accepts a logged-in browser's changes only from PUBLIC_URL's origin (default SERVER): say so
      // for the pages this dev server serves.
      '/admin': {
        target: SERVER,
        configure: (proxy) =>
          proxy.on('proxyReq', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', SERVER);
          }),
      },
      '/api': SERVER,
      '/healthz': SERVER,
    },
  },
});
