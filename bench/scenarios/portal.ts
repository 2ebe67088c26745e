import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from '../../test/support/browser';
import { ensurePortalBuilt } from '../../tools/portal-build';
import { BenchStack, Report, percentile } from '../support';

const DIST = path.resolve(__dirname, '../../apps/portal/dist');
/** The target is stated over ten loads; fewer (--quick) would not be the same figure. */
const MIN_LOADS = 10;
/** A phone on a slow mobile link, as Lighthouse's mobile preset emulates it: here the bytes and the JavaScript of the first page show. */
const SLOW_PHONE = { cpuSlowdown: 4, latencyMs: 150, downloadBytesPerSecond: (1.6 * 1024 * 1024) / 8, uploadBytesPerSecond: (750 * 1024) / 8 };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const gzipped = (file: string) => gzipSync(readFileSync(file)).length;

/** What the sign-in page fetches before it can run: index.html and the scripts and styles it names (the entry and its modulepreloads). */
function firstPageFiles(): string[] {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const named = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => path.join(DIST, m[1]));
  return [path.join(DIST, 'index.html'), ...named];
}

/** Refuses to measure a warm load that the server's cache headers would make meaningless. */
async function checkCacheHeaders(url: string): Promise<void> {
  const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
  const asset = firstPageFiles().find((f) => f.endsWith('.js'));
  const script = await fetch(`${url}/assets/${path.basename(asset ?? '')}`);
  const pageCache = page.headers.get('cache-control') ?? '';
  const assetCache = script.headers.get('cache-control') ?? '';
  if (!/no-cache/.test(pageCache) || !/immutable/.test(assetCache)) {
    throw new Error(`portal cache headers are wrong: index.html "${pageCache}", hashed asset "${assetCache}"`);
  }
  console.log(`  cache headers: index.html "${pageCache}", hashed assets "${assetCache}"`);
}

/** Milliseconds from navigation until the sign-in form takes input; optionally on an emulated slow phone (Chromium's DevTools throttling). */
async function timeToUsable(context: BrowserContext, url: string, slow?: typeof SLOW_PHONE): Promise<number> {
  const page = await context.newPage();
  try {
    if (slow) {
      const devtools = await context.newCDPSession(page);
      await devtools.send('Emulation.setCPUThrottlingRate', { rate: slow.cpuSlowdown });
      await devtools.send('Network.enable');
      await devtools.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: slow.latencyMs,
        downloadThroughput: slow.downloadBytesPerSecond,
        uploadThroughput: slow.uploadBytesPerSecond,
      });
    }
    const started = performance.now();
    await page.goto(`${url}/`);
    // Usable: the key field is there and takes input.
    await page.getByLabel('API key').fill('tnd_mem_probe');
    return performance.now() - started;
  } finally {
    await page.close();
  }
}

/**
 * The production build's size, and how long a browser takes until the sign-in
 * form can be used: cold (a fresh profile, nothing cached) and warm (a second
 * load in the same profile, the hashed assets from its HTTP cache).
 */
export async function portal(stack: BenchStack, report: Report, opts: { loads: number }): Promise<void> {
  ensurePortalBuilt((line) => console.log(`  ${line}`));
  const all = files(DIST);
  const bytes = all.reduce((n, f) => n + statSync(f).size, 0);
  const shipped = all.filter((f) => /\.(js|css|html)$/.test(f)).reduce((n, f) => n + gzipped(f), 0);
  const entry = firstPageFiles();
  report.add({ name: 'portal: production build', value: bytes / 1024, unit: 'KiB' });
  report.add({ name: 'portal: production build, gzipped JS + CSS + HTML', value: shipped / 1024, unit: 'KiB' });
  report.add({ name: `portal: sign-in page's files (${entry.length}), gzipped`, value: entry.reduce((n, f) => n + gzipped(f), 0) / 1024, unit: 'KiB' });
  report.add({ name: "portal: sign-in page's files, uncompressed", value: entry.reduce((n, f) => n + statSync(f).size, 0) / 1024, unit: 'KiB' });
  await checkCacheHeaders(stack.url);

  const loads = Math.max(opts.loads, MIN_LOADS);
  const figures = { cold: [] as number[], warm: [] as number[], slowCold: [] as number[] };
  for (let i = 0; i < loads; i++) {
    await inFreshBrowser(async (context) => {
      figures.cold.push(await timeToUsable(context, stack.url));
      figures.warm.push(await timeToUsable(context, stack.url));
    });
    await inFreshBrowser(async (context) => {
      figures.slowCold.push(await timeToUsable(context, stack.url, SLOW_PHONE));
    });
  }
  for (const [kind, times] of [
    ['cold browser (fresh profile)', figures.cold],
    ['warm browser (second load, HTTP cache)', figures.warm],
    ['cold browser on a slow phone (4× CPU, 150 ms, 1.6 Mbit/s)', figures.slowCold],
  ] as const) {
    const worst = Math.max(...times);
    report.add({ name: `portal: first page usable, ${kind}, median of ${loads}`, value: percentile(times, 50), unit: 'ms' });
    report.add({ name: `portal: first page usable, ${kind}, worst of ${loads}`, value: worst, unit: 'ms', target: '< 1000 ms', met: worst < 1000 });
  }
}

/** A headless browser on a profile of its own, removed afterwards. */
async function inFreshBrowser(use: (context: BrowserContext) => Promise<void>): Promise<void> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-chromium-'));
  const context = await launchBrowser(profile);
  try {
    await use(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
