import AxeBuilder from '@axe-core/playwright';
import { Queue } from 'bullmq';
import { Page } from 'playwright-core';
import { QUEUES, queueConnectionOptions } from '@tandem/jobs';
import { eventually } from '@tandem/testing';
import { buildCircles } from './support/community';
import { PortalBrowser } from './support/portal-browser';
import { TandemHarness } from './support/tandem';

/*
 * Accessibility of the portal in a real headless Chromium against the API and
 * worker: axe-core finds no serious or critical violation on any main page,
 * for each kind of key, at a phone's and a desktop's width; and the menu and
 * a form work from the keyboard alone.
 */

const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER = `query($id: ID!) { order(id: $id) { status supplier { id } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id } }`;
const RELATIONSHIPS = `{ relationships(first: 1) { totalCount } }`;
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

interface Finding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

describe('portal accessibility (axe-core and the keyboard, headless Chromium)', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let browser: PortalBrowser;
  let orderId: string;

  beforeAll(async () => {
    browser = await PortalBrowser.launch('a11y', () => t.url);
    t = await TandemHarness.start('portal-a11y');
    c = await buildCircles(t);
    const placed = await t.ok(
      PLACE,
      {
        input: {
          category: 'gift-baskets',
          region: 'US-NY',
          quantity: 1,
          deliverBy: inDays(3),
          budget: { amount: '150', currency: 'USD' },
          idempotencyKey: 'a11y-1',
        },
      },
      c.keys.client,
    );
    orderId = placed.placeOrder.id;
    await eventually(async () => (await t.ok(ORDER, { id: orderId }, c.op)).order.status === 'OFFERED');
    // Fulfilled, so the supplier's earnings chart and the statements have something to show.
    await t.ok(ACCEPT, { id: orderId }, c.keys.supplier);
    await t.ok(FULFIL, { id: orderId }, c.keys.supplier);
    // The relationships list is refreshed by the worker: ask for it now rather than wait for its schedule.
    const health = new Queue(QUEUES.health, queueConnectionOptions(t.config));
    try {
      await health.add('refresh-relationships', {});
      await eventually(async () => (await t.ok(RELATIONSHIPS, {}, c.op)).relationships.totalCount === 6, 30_000, 200);
    } finally {
      await health.close();
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function open(key: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${t.url}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    return page;
  }

  /** A page is ready once its chunk has arrived, its queries answered and nothing says "Loading". */
  async function settle(page: Page) {
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('main .loading').first().waitFor({ state: 'detached' });
  }

  /** Serious and critical violations of WCAG 2.1 A and AA (and axe's best practices) on the page as it is. */
  async function violations(page: Page): Promise<Finding[]> {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }

  const views = () => [
    { who: 'operator', key: c.op, extra: ['members/new', `members/${c.supplier.id}`, `orders/${orderId}`] },
    { who: 'supplier', key: c.keys.supplier, extra: [`orders/${orderId}`] },
    { who: 'client', key: c.keys.client, extra: [`orders/${orderId}`] },
    { who: 'partner', key: c.keys.p1, extra: [] as string[] },
  ];

  it.each(['operator', 'supplier', 'client', 'partner'])(
    "finds no serious or critical violation on any of the %s's pages at 390 px and 1280 px",
    async (who) => {
      const view = views().find((v) => v.who === who);
      if (!view) throw new Error(`no view for ${who}`);
      const page = await open(view.key);
      // Every section of this key's menu, and the detail pages it opens.
      const menu = await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      const routes = [...menu.map((href) => href.replace(/^#\//, '')), ...view.extra];
      expect(routes.length).toBeGreaterThanOrEqual(4);
      const found: Record<string, Finding[]> = {};
      for (const [label, size] of Object.entries(WIDTHS)) {
        await page.setViewportSize(size);
        for (const route of routes) {
          await page.goto(`${t.url}/#/${route}`);
          await settle(page);
          const v = await violations(page);
          if (v.length > 0) found[`${route} at ${label} width`] = v;
        }
      }
      await page.close();
      // The failure message names each rule and the elements it found.
      expect(found).toEqual({});
    },
    180_000,
  );

  it('lets an operator use the main menu and the relationships search with Tab and Enter only', async () => {
    const page = await open(c.op);
    await settle(page);
    // Run in the page (the suite's own types have no DOM): the focused element's text, and its label for a form control.
    const focused = () => page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
    const focusedLabel = () => page.evaluate<string>("(document.activeElement?.labels?.[0] ?? document.activeElement)?.textContent?.trim() ?? ''");
    /** Presses Tab until the focused element reads `text`; past the page's end, Tab comes round to the skip link and the menu. */
    async function tabTo(read: () => Promise<string>, text: string, max = 60) {
      const passed: string[] = [];
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const now = await read();
        if (now === text) return passed;
        passed.push(now);
      }
      throw new Error(`Tab never reached "${text}"; it passed ${JSON.stringify(passed)}`);
    }

    // Signed in (a first arrival): the first Tab reaches the skip link, which comes just before the menu.
    expect(await tabTo(focused, 'Overview')).toEqual(['Skip to content', 'Sign out']);
    // After a reload (a first arrival, not a navigation) focus stays at the top of the document: the very first Tab reaches the skip link.
    await page.reload();
    await settle(page);
    expect(await page.evaluate<string>('document.activeElement?.tagName ?? ""')).toBe('BODY');
    expect(await tabTo(focused, 'Skip to content')).toEqual([]);
    expect(await tabTo(focused, 'Sign out')).toEqual([]);
    expect(await tabTo(focused, 'Overview')).toEqual([]);
    await tabTo(focused, 'Relationships');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Relationships' }).waitFor();
    await settle(page);
    // Navigation moves focus to the new page's heading.
    expect(await focused()).toBe('Relationships');

    await tabTo(focusedLabel, 'Name contains');
    await page.keyboard.type('basket');
    await page.keyboard.press('Enter');
    const table = page.getByRole('table', { name: /^Members whose name contains “basket”/ });
    await table.waitFor();
    expect(await table.getByRole('rowheader').allTextContents()).toEqual(expect.arrayContaining(['Basket & Co', 'New Baskets']));
    expect(await table.getByRole('rowheader').count()).toBe(2);

    // On to a member's page, still by keyboard.
    await tabTo(focused, 'Basket & Co');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/members/${c.supplier.id}$`));
    await page.getByRole('heading', { level: 1, name: 'Basket & Co' }).waitFor();
    await page.close();
  }, 90_000);
});
