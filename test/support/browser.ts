import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';

/**
 * The one place that picks the Chromium the portal suite and the portal
 * benchmark drive (playwright-core downloads no browser): CHROMIUM_PATH when
 * set, else Debian's /usr/bin/chromium when installed, else the binary the npm
 * package @sparticuz/chromium ships, so `npm install` is all a machine needs.
 */
export interface BrowserChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for logs: CHROMIUM_PATH, /usr/bin/chromium or @sparticuz/chromium. */
  source: string;
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** @sparticuz/chromium's arguments that would make the browser laxer than a user's (the suite checks the portal's CSP), or that Playwright sets itself. */
const LAX_OR_OWN = /^--(disable-web-security|allow-running-insecure-content|headless)/;

/*
 * @sparticuz/chromium is an ES module, which Jest's module sandbox cannot load;
 * a short node process asks it for the binary (unpacked on first use) and its arguments.
 */
function packagedChromium(): { executablePath: string; args: string[] } {
  const script = "import c from '@sparticuz/chromium'; console.log(JSON.stringify({ executablePath: await c.executablePath(), args: c.args }));";
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' }));
}

export async function chooseBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserChoice> {
  if (env.CHROMIUM_PATH) return { executablePath: env.CHROMIUM_PATH, args: ARGS, source: 'CHROMIUM_PATH' };
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: ARGS, source: DEBIAN_CHROMIUM };
  const packaged = packagedChromium();
  // Its build runs as one process (--single-process): one browser per context.
  const args = [...new Set([...packaged.args.filter((a) => !LAX_OR_OWN.test(a)), ...ARGS])];
  return { executablePath: packaged.executablePath, args, source: '@sparticuz/chromium' };
}

/** A fresh headless browser with its own profile directory; closing the context ends the browser. */
export async function launchBrowser(profileDir: string, options: { width?: number; height?: number } = {}): Promise<BrowserContext> {
  const browser = await chooseBrowser();
  return chromium.launchPersistentContext(profileDir, {
    executablePath: browser.executablePath,
    args: browser.args,
    headless: true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  });
}
