import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../../test/support/browser';
import { ensurePortalBuilt } from '../../tools/portal-build';
import { BenchStack, Report, percentile } from '../support';

const DIST = path.resolve(__dirname, '../../apps/portal/dist');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The production build's size, and how long a fresh browser takes until the sign-in form can be used. */
export async function portal(stack: BenchStack, report: Report, opts: { loads: number }): Promise<void> {
  ensurePortalBuilt((line) => console.log(`  ${line}`));
  const all = files(DIST);
  const bytes = all.reduce((n, f) => n + statSync(f).size, 0);
  const gzipped = all.filter((f) => /\.(js|css|html)$/.test(f)).reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
  report.add({ name: 'portal: production build', value: bytes / 1024, unit: 'KiB' });
  report.add({ name: 'portal: production build, gzipped JS + CSS + HTML', value: gzipped / 1024, unit: 'KiB' });

  const times: number[] = [];
  for (let i = 0; i < opts.loads; i++) {
    const profile = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-chromium-'));
    const context = await launchBrowser(profile);
    try {
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(`${stack.url}/`);
      // Usable: the key field is there and takes input.
      await page.getByLabel('API key').fill('tnd_mem_probe');
      times.push(Date.now() - started);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
  const worst = Math.max(...times);
  report.add({ name: 'portal: first page usable, cold browser (median)', value: percentile(times, 50), unit: 'ms' });
  report.add({ name: `portal: first page usable, worst of ${opts.loads}`, value: worst, unit: 'ms', target: '< 1000 ms', met: worst < 1000 });
}
