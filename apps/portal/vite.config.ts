import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The dev server proxies the API, so the portal and /graphql share an origin as in production.
const api = process.env.TANDEM_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // recharts is most of the bundle; it is split out so the rest stays small.
    rollupOptions: { output: { manualChunks: { recharts: ['recharts'] } } },
    chunkSizeWarningLimit: 700,
  },
  server: { port: 5173, strictPort: true, proxy: { '/graphql': api, '/health': api } },
  preview: { port: 4173 },
});
