import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readSetting } from '@tandem/common';

const root = path.resolve(__dirname, '..');
export const PORTAL_ROOT = path.join(root, 'apps/portal');
export const PORTAL_DIST = readSetting('TANDEM_PORTAL_DIST') ?? path.join(PORTAL_ROOT, 'dist');
export const PORTAL_INDEX = path.join(PORTAL_DIST, 'index.html');

/** Newest modification time among the files a build reads (specs and dist left out). */
function newestInput(dir = PORTAL_ROOT): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.endsWith('.spec.ts')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestInput(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Why the portal must be built, or null when apps/portal/dist is newer than every source. */
export function portalBuildReason(): string | null {
  if (!existsSync(PORTAL_INDEX)) return 'apps/portal/dist is missing';
  const built = statSync(PORTAL_INDEX).mtimeMs;
  const inputs = Math.max(newestInput(), statSync(path.join(root, 'package-lock.json')).mtimeMs);
  return inputs > built ? 'its sources changed since the last build' : null;
}

/** Builds the portal with Vite (about 10 s); throws when the build fails. */
export function buildPortal(opts: { quiet?: boolean } = {}): void {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/portal/vite.config.ts', '--logLevel', opts.quiet ? 'error' : 'warn'],
    {
      cwd: root,
      stdio: opts.quiet ? 'pipe' : 'inherit',
    },
  );
}

/** Builds the portal when it is missing or stale; does nothing (in milliseconds) when it is current. */
export function ensurePortalBuilt(log: (line: string) => void, opts: { quiet?: boolean } = {}): void {
  const why = portalBuildReason();
  if (!why) return;
  log(`building the portal (${why})…`);
  const started = Date.now();
  buildPortal(opts);
  log(`portal built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
