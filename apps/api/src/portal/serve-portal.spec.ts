import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { servePortal } from './serve-portal';

@Module({})
class NothingModule {}

describe('servePortal', () => {
  const dist = mkdtempSync(path.join(os.tmpdir(), 'tandem-portal-dist-'));
  const script = `export const entry = "${'sign-in '.repeat(2_000)}";\n`;
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dist, 'assets/index-AbC123.js'), script);
    app = await NestFactory.create<NestExpressApplication>(NothingModule, { logger: false });
    servePortal(app, dist);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('revalidates the page on every load', async () => {
    const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it.each(['br', 'gzip'])('sends a hashed asset compressed with %s and cached for a year', async (encoding) => {
    // Node's fetch decompresses the body; Content-Length is what went over the wire.
    const res = await fetch(`${url}/assets/index-AbC123.js`, { headers: { 'accept-encoding': encoding } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe(encoding);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(Number(res.headers.get('content-length'))).toBeLessThan(script.length / 10);
    expect(await res.text()).toBe(script);
  });

  it('sends the asset as it is to a client that takes no compression, still cached for a year', async () => {
    const res = await fetch(`${url}/assets/index-AbC123.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe(script);
  });

  it('answers 404 for an asset that is not in the build, not the page', async () => {
    const res = await fetch(`${url}/assets/index-Gone99.js`, { headers: { accept: '*/*', 'accept-encoding': 'br' } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<div id="root">');
  });
});
