import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server (apps/server) listens on 8080 by default; `pnpm dev` proxies the API (HTTP and the
// WebSocket at /api/ws) to it. BMPWATCH_API overrides the target, e.g. http://127.0.0.1:9000.
const api = process.env.BMPWATCH_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    proxy: {
      '/api': { target: api, ws: true, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: api, ws: true, changeOrigin: true },
    },
  },
});
