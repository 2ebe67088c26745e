import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';

/** The built portal (apps/portal, `npm run portal:build`); npm start builds it when missing or stale. */
export const PORTAL_DIST = path.resolve(__dirname, '../../../portal/dist');

/** Paths the API answers itself; the portal never shadows them. */
const API_PATHS = /^\/(graphql|health|metrics)(\/|$)/;

// The page talks to /graphql on its own origin only; recharts sets inline styles.
const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

type Req = IncomingMessage & { path: string; method: string; accepts(type: string): string | false };
type Res = ServerResponse & { status(code: number): Res; type(t: string): Res; send(body: string): void; sendFile(file: string): void };

/**
 * Serves the portal's single page at / from apps/portal/dist. Hashed assets
 * are cached for a year; the page itself is revalidated on every load, so a
 * new build is picked up at once. Registered before Nest's routes, it passes
 * /graphql, /health and /metrics straight through.
 */
export function servePortal(app: NestExpressApplication, dist = PORTAL_DIST): void {
  app.useStaticAssets(dist, {
    index: false,
    maxAge: '365d',
    immutable: true,
    setHeaders: (res: ServerResponse, file: string) => {
      if (file.endsWith('.html')) for (const [k, v] of Object.entries(PAGE_HEADERS)) res.setHeader(k, v);
    },
  });
  const index = path.join(dist, 'index.html');
  app.use((req: Req, res: Res, next: () => void) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path) || !req.accepts('html')) return next();
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The Tandem portal is not built yet: run `npm run portal:build` (npm start does it for you).\n');
      return;
    }
    for (const [k, v] of Object.entries(PAGE_HEADERS)) res.setHeader(k, v);
    res.sendFile(index);
  });
}
