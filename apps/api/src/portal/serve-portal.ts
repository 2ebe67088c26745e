import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress as zlibBrotli, constants as zlib, gzip as zlibGzip } from 'node:zlib';
import { NestExpressApplication } from '@nestjs/platform-express';
import { readSetting } from '@tandem/common';

/** The built portal (apps/portal, `npm run portal:build`); npm start builds it when missing or stale. */
export const PORTAL_DIST = readSetting('TANDEM_PORTAL_DIST') ?? path.resolve(__dirname, '../../../portal/dist');

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

type Req = IncomingMessage & { path: string; method: string; accepts(type: string): string | false; acceptsEncodings(...encodings: string[]): string | false };
type Res = ServerResponse & { status(code: number): Res; type(t: string): Res; send(body: string | Buffer): void; sendFile(file: string): void };

/** The build's hashed scripts and styles: their names change with their content, so they may be cached for good. */
const HASHED_ASSET = /^\/assets\/[\w.-]+\.(js|css)$/;
const ASSET_HEADERS: Record<string, string> = {
  'Cache-Control': 'public, max-age=31536000, immutable',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Accept-Encoding',
};

const brotli = promisify(zlibBrotli);
const gzip = promisify(zlibGzip);

/**
 * Hashed assets compressed once per process, off the event loop, and kept (a
 * build is a few hundred kB): the sign-in page's entry shrinks about threefold
 * on the wire, which is what a slow link waits for. The API has no
 * compression middleware of its own.
 */
function compressedAssets(dist: string) {
  const kept = new Map<string, Promise<Buffer | null>>();
  const compress = async (asset: string, encoding: 'br' | 'gzip'): Promise<Buffer | null> => {
    const raw = await readFile(path.join(dist, asset)).catch(() => null);
    if (!raw) return null;
    return encoding === 'br' ? brotli(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }) : gzip(raw, { level: 9 });
  };
  return (asset: string, encoding: 'br' | 'gzip'): Promise<Buffer | null> => {
    const key = `${encoding}:${asset}`;
    let body = kept.get(key);
    if (!body) {
      body = compress(asset, encoding);
      kept.set(key, body);
      // A file missing now (a build under way) is looked for again next time.
      void body.then((b) => b ?? kept.delete(key));
    }
    return body;
  };
}

/**
 * Serves the portal's single page at / from apps/portal/dist. Hashed assets
 * are cached for a year (and sent compressed when the browser takes br or
 * gzip); the page itself is revalidated on every load, so a new build is
 * picked up at once. Registered before Nest's routes, it passes
 * /graphql, /health and /metrics straight through.
 */
export function servePortal(app: NestExpressApplication, dist = PORTAL_DIST): void {
  const compressed = compressedAssets(dist);
  app.use((req: Req, res: Res, next: () => void) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !HASHED_ASSET.test(req.path)) return next();
    const encoding = req.acceptsEncodings('br', 'gzip');
    if (encoding !== 'br' && encoding !== 'gzip') return next();
    compressed(req.path.slice(1), encoding).then(
      (body) => {
        if (!body) return next();
        for (const [k, v] of Object.entries(ASSET_HEADERS)) res.setHeader(k, v);
        res.setHeader('Content-Encoding', encoding);
        res.type(path.extname(req.path)).send(body);
      },
      () => next(),
    );
  });
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
    // A missing asset is a 404, not the page: a stale tab asking for an old chunk must see that it failed.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path) || req.path.startsWith('/assets/') || !req.accepts('html')) return next();
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The Tandem portal is not built yet: run `npm run portal:build` (npm start does it for you).\n');
      return;
    }
    for (const [k, v] of Object.entries(PAGE_HEADERS)) res.setHeader(k, v);
    res.sendFile(index);
  });
}
