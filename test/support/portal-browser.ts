import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { ensurePortalBuilt } from '../../tools/portal-build';
import { launchBrowser } from './browser';

/**
 * A headless Chromium on the built portal for the browser suites: a profile of
 * its own, and tabs that record uncaught errors and what the page's CSP refused,
 * so a suite can require that none happened.
 */
export class PortalBrowser {
  private readonly errors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    private readonly profile: string,
    private readonly url: () => string,
  ) {}

  /** Builds the portal when it is missing or older than its sources (the API serves apps/portal/dist), then starts the browser. */
  static async launch(name: string, url: () => string): Promise<PortalBrowser> {
    ensurePortalBuilt(() => undefined, { quiet: true });
    const profile = mkdtempSync(path.join(os.tmpdir(), `tandem-${name}-chromium-`));
    return new PortalBrowser(await launchBrowser(profile), profile, url);
  }

  /** A fresh tab at the portal (its own sessionStorage), signed in with the key when one is given. */
  async open(key?: string): Promise<Page> {
    const page = await this.context.newPage();
    page.on('pageerror', (e) => this.errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Uncaught/.test(m.text())) this.errors.push(m.text());
    });
    await page.goto(`${this.url()}/`);
    if (key) await signIn(page, key);
    return page;
  }

  /** The errors recorded since the last call, forgotten once returned. */
  takeErrors(): string[] {
    return this.errors.splice(0);
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** Signs in on the sign-in page as a person does, and waits for the signed-in header. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').waitFor();
}
