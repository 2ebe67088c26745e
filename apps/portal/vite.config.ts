import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The dev server proxies the API, so the portal and /graphql share an origin as in production.
const api = process.env.TANDEM_API_URL ?? 'http://localhost:3000';
// TANDEM_PORTAL_DIST (libs/common/src/config.ts) moves the build out of apps/portal/dist.
const outDir = process.env.TANDEM_PORTAL_DIST || 'dist';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    // No manual chunks: the signed-in pages and the charts are dynamic imports
    // (src/pages/lazy-pages.ts, the charts' lazy()), so Rollup splits them from
    // the entry itself. A manual recharts chunk used to pull React in with it,
    // which made the sign-in page load all of recharts.
    chunkSizeWarningLimit: 450,
  },
  // ws: the portal's live updates (graphql-ws on /graphql) go through the proxy too.
  server: { port: 5173, strictPort: true, proxy: { '/graphql': { target: api, ws: true }, '/health': api } },
  preview: { port: 4173 },
});
