import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Page } from 'playwright-core';
import { eventually } from '@tandem/testing';
import { Q, buildCircles, register } from './support/community';
import { PortalBrowser, signIn } from './support/portal-browser';
import { TandemHarness } from './support/tandem';

/*
 * The portal in a real headless Chromium (test/support/browser.ts picks it)
 * against the real API and worker: the API serves the built single page at /
 * and the page speaks GraphQL to it.
 */

const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;
const ORDERS = `{ orders(first: 100) { totalCount } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedByHub { amount } } }`;
const STATEMENTS = `query($m: ID!) { statements(memberId: $m) { id status net { amount } } }`;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let seq = 0;

describe('portal (headless Chromium against the API and worker)', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let browser: PortalBrowser;

  beforeAll(async () => {
    browser = await PortalBrowser.launch('portal', () => t.url);
    t = await TandemHarness.start('portal');
    c = await buildCircles(t);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  afterEach(() => {
    // No uncaught error in the page and no request the page's CSP blocked.
    expect(browser.takeErrors()).toEqual([]);
  });

  const open = (key?: string): Promise<Page> => browser.open(key);

  const basketOrder = (over: Record<string, unknown> = {}) => ({
    category: 'gift-baskets',
    region: 'US-NY',
    quantity: 1,
    deliverBy: inDays(3),
    budget: { amount: '150', currency: 'USD' },
    idempotencyKey: `portal-${++seq}`,
    ...over,
  });

  /** An order of the Grand Hotel, offered to Basket & Co. */
  async function offeredBasket(): Promise<string> {
    const { placeOrder } = await t.ok(PLACE, { input: basketOrder() }, c.keys.client);
    await eventually(async () => {
      const { order } = await t.ok(ORDER, { id: placeOrder.id }, c.op);
      return order.status === 'OFFERED' && order.supplier?.id === c.supplier.id;
    });
    return placeOrder.id;
  }

  it('serves the portal at / with a strict CSP, and leaves /graphql and /health to the API', async () => {
    const page = await fetch(`${t.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root"></div>');
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    expect((await t.gql('{ __typename }', {}, c.op)).data).toEqual({ __typename: 'Query' });
  });

  it('refuses a wrong, a revoked or the admin key with a clear message, and forgets the key on sign-out', async () => {
    const page = await open();
    await page.getByLabel('API key').fill('tnd_mem_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This key was not accepted: it is unknown or has been revoked' }).waitFor();

    // A key revoked by the operator no longer opens the portal.
    const revoked = (await t.ok(Q.issueApiKey, { memberId: c.p2.id }, c.op)).issueApiKey;
    const keys = (await t.ok(Q.apiKeys, { memberId: c.p2.id }, c.op)).apiKeys;
    await t.ok(Q.revokeApiKey, { keyId: keys.at(-1).id }, c.op);
    await page.getByLabel('API key').fill(revoked);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();

    await page.getByLabel('API key').fill(t.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'platform admin key' }).waitFor();

    // A member key: kept for the tab's session (a reload stays signed in), removed on sign-out.
    await signIn(page, `  Bearer ${c.keys.p1}  `);
    expect(await page.getByTestId('who').textContent()).toBe('Pia Partner · Partner · Circles');
    await page.reload();
    await page.getByTestId('who').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('tandem.portal.key')")).toBe(c.keys.p1);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.close();
  });

  it('lets a supplier accept an offer before it expires, fulfil it and see its earned business and fee', async () => {
    await offeredBasket();
    const page = await open(c.keys.supplier);
    expect(await page.getByTestId('who').textContent()).toBe('Basket & Co · Supplier · Circles');
    // Only a supplier's sections: no operator or client pages.
    expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).toEqual([
      'Offers',
      'Orders',
      'Earnings',
      'Capabilities',
      'Statements',
      'Relationship',
      'Webhooks',
    ]);

    const offer = page.getByRole('article').filter({ hasText: 'Grand Hotel' });
    await offer.waitFor();
    // The countdown ticks down from the network's 15-minute timeout.
    const timer = offer.getByRole('timer');
    const first = await timer.textContent();
    expect(first).toMatch(/^1[45]:\d\d left$/);
    await eventually(async () => (await timer.textContent()) !== first, 3000);
    expect(await timer.getAttribute('aria-label')).toMatch(/^1[45] minutes? (\d+ seconds? )?left, expires /);

    await page.getByRole('button', { name: 'Accept 1 × gift-baskets for Grand Hotel' }).click();
    await page.getByText('Accepted 1 × gift-baskets: you receive 114.00 USD after a fee of 6.00 USD.').waitFor();
    await page.getByRole('button', { name: 'Mark 1 × gift-baskets for Grand Hotel fulfilled' }).click();
    await page.getByText('Fulfilled 1 × gift-baskets.').waitFor();
    await page.getByText('No offers waiting.').waitFor();

    await page.getByRole('link', { name: 'Earnings' }).click();
    await page.getByTestId('earned-total').waitFor();
    expect(await page.getByTestId('earned-total').textContent()).toBe('120.00 USD');
    expect(await page.getByTestId('fees-total').textContent()).toBe('6.00 USD');
    expect(await page.getByTestId('net-total').textContent()).toBe('114.00 USD');
    const week = page.getByRole('table', { name: 'Earnings by week in USD' }).getByRole('row').nth(1);
    expect(await week.getByRole('cell').allTextContents()).toEqual(['1', '120.00 USD', '6.00 USD', '114.00 USD']);
    // Focus moved to the new page's heading for screen readers.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Earnings');

    // Its orders list shows the full fee breakdown.
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('combobox', { name: 'Status' }).selectOption('FULFILLED');
    await page.getByText('Fee breakdown').first().click();
    const fees = page.getByRole('table', { name: 'Fee breakdown of 1 × gift-baskets' }).first();
    expect(await fees.getByRole('row', { name: /Supplier receives/ }).textContent()).toContain('114.00 USD');
    expect(await fees.getByRole('row', { name: /Share to Paul Partner/ }).textContent()).toContain('1.20 USD');
    await page.close();
  });

  it('shows a new offer on the offers page as it is made, through the offerReceived subscription, without a reload', async () => {
    const page = await open();
    const frames: string[] = [];
    page.on('websocket', (ws) => {
      if (new URL(ws.url()).pathname === '/graphql') ws.on('framereceived', (f) => frames.push(String(f.payload)));
    });
    await signIn(page, c.keys.supplier);
    // Live: the page polls no more, so what appears next came through the socket.
    await page.getByTestId('offers-live').filter({ hasText: 'Live: new offers appear here as they are made.' }).waitFor();
    await page.evaluate('window.stillTheSamePage = true');
    const { placeOrder } = await t.ok(PLACE, { input: basketOrder() }, c.keys.client);
    const card = page.getByRole('article').filter({ has: page.locator(`a[href="#/orders/${placeOrder.id}"]`) });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getByRole('heading').textContent()).toBe('1 × gift-baskets');
    expect(await page.evaluate('window.stillTheSamePage')).toBe(true);
    const offerFrame = frames.map((f) => JSON.parse(f)).find((m) => m.type === 'next' && m.payload?.data?.offerReceived?.id === placeOrder.id);
    expect(offerFrame?.payload.data).toEqual({ offerReceived: { id: placeOrder.id, status: 'OFFERED' } });

    // Withdrawn meanwhile (no event tells the supplier): answering it says so, and the card goes.
    await t.ok(CANCEL, { id: placeOrder.id }, c.keys.client);
    await card.getByRole('button', { name: 'Accept 1 × gift-baskets for Grand Hotel' }).click();
    await page.getByRole('alert').filter({ hasText: 'That offer is no longer open to you: ' }).waitFor();
    await card.waitFor({ state: 'detached' });
    await page.close();
  });

  it('falls back to polling the offers when the live socket cannot open', async () => {
    const page = await open();
    // Every socket to /graphql is closed before the API sees it, as a proxy without WebSocket support would.
    await page.routeWebSocket(/\/graphql$/, (ws) => ws.close({ code: 1011, reason: 'no sockets here' }));
    await signIn(page, c.keys.supplier);
    await page.getByTestId('offers-live').filter({ hasText: 'Checking for new offers every few seconds.' }).waitFor();
    const { placeOrder } = await t.ok(PLACE, { input: basketOrder() }, c.keys.client);
    await page
      .getByRole('article')
      .filter({ has: page.locator(`a[href="#/orders/${placeOrder.id}"]`) })
      .waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('offers-live').textContent()).toBe('Checking for new offers every few seconds.');
    await t.ok(CANCEL, { id: placeOrder.id }, c.keys.client);
    await page.close();
  });

  it('lets the operator vet a supplier with a note and run settlement, then mark a statement paid', async () => {
    // A fulfilled, posted order so the run has something to close.
    const id = await offeredBasket();
    await t.ok(ACCEPT, { id }, c.keys.supplier);
    await t.ok(FULFIL, { id }, c.keys.supplier);
    await eventually(async () => (await t.ok(BALANCE, { m: c.supplier.id }, c.op)).balance.owedByHub.amount !== '0.00');

    const page = await open(c.op);
    expect(await page.getByTestId('who').textContent()).toBe('Operator of Circles');
    await page.getByTestId('trial-balanced').filter({ hasText: 'Balanced' }).waitFor();

    await page.getByRole('link', { name: 'Members' }).click();
    const queued = page.getByRole('article').filter({ hasText: 'New Baskets' });
    await queued.getByLabel('Note for New Baskets (optional)').fill('Site visit done');
    await queued.getByRole('button', { name: 'Approve New Baskets' }).click();
    await page.getByText('New Baskets is now vetted.').waitFor();
    await page.getByText('No supplier is waiting to be vetted.').waitFor();
    const history = (await t.ok(Q.vettingHistory, { supplierId: c.newcomer.id }, c.op)).vettingHistory;
    expect(history.at(-1)).toMatchObject({ fromStatus: 'APPLIED', toStatus: 'VETTED', note: 'Site visit done' });

    await page.getByRole('link', { name: 'Settlement' }).click();
    await page.getByRole('button', { name: 'Run settlement now' }).click();
    await page.getByText(/^Run of .*: \d+ statements\.$/).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Basket & Co' });
    // Two baskets fulfilled by now: 2 x 120.00 less 2 x 6.00.
    expect(await row.getByRole('cell').nth(6).textContent()).toBe('+228.00 USD');
    await row.getByRole('button', { name: /^Mark the statement Basket & Co, .* paid$/ }).click();
    await row.getByText('Paid', { exact: true }).waitFor();
    const statements = (await t.ok(STATEMENTS, { m: c.supplier.id }, c.op)).statements;
    expect(statements[0]).toMatchObject({ status: 'PAID', net: { amount: '228.00' } });
    await page.close();
  });

  it('lets a client place an order, with its mistakes shown next to the fields, and see its fee breakdown', async () => {
    const before = (await t.ok(ORDERS, {}, c.op)).orders.totalCount;
    const page = await open(c.keys.client);
    await page.getByRole('link', { name: 'Place an order' }).click();
    await page.getByLabel('Category').fill('gift-baskets');
    await page.getByLabel('Region').fill('us-ny');
    await page.getByLabel('Quantity').fill('0');
    await page.getByLabel('Budget', { exact: true }).fill('150.001');
    await page.getByLabel('Notes (optional)').fill('x'.repeat(2001));
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText('Quantity must be a whole number of at least 1.').waitFor();
    await page.getByText('Budget has more than 2 decimal places, the most USD allows.').waitFor();
    await page.getByText('Notes must be at most 2,000 characters (now 2,001).').waitFor();
    // The first field in error has focus and says it is invalid.
    expect(await page.evaluate('document.activeElement?.name')).toBe('quantity');
    expect(await page.getByLabel('Quantity').getAttribute('aria-invalid')).toBe('true');
    expect((await t.ok(ORDERS, {}, c.op)).orders.totalCount).toBe(before);

    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Budget', { exact: true }).fill('150');
    await page.getByLabel('Notes (optional)').fill('Welcome basket, room 12');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Order: 1 × gift-baskets' }).waitFor();
    expect((await t.ok(ORDERS, {}, c.op)).orders.totalCount).toBe(before + 1);
    const orderId = decodeURIComponent(new URL(page.url()).hash.split('/').at(-1) as string);

    // The supplier accepts; the client's page follows and shows how the money splits.
    await eventually(async () => (await t.ok(ORDER, { id: orderId }, c.op)).order.status === 'OFFERED');
    await t.ok(ACCEPT, { id: orderId }, c.keys.supplier);
    const fees = page.getByRole('table', { name: 'Fee breakdown' });
    await fees.waitFor({ timeout: 10_000 });
    const line = async (name: RegExp) => (await fees.getByRole('row', { name }).getByRole('cell').textContent())?.trim();
    expect(await line(/^Price/)).toBe('120.00 USD');
    expect(await line(/^Client fee/)).toBe('12.00 USD');
    expect(await line(/^Client pays/)).toBe('132.00 USD');
    expect(await line(/^Share to Pia Partner/)).toBe('2.40 USD');
    expect(await line(/^Hub keeps/)).toBe('14.40 USD');
    await page.close();
  });

  it("never shows a supplier another supplier's orders, money or pages", async () => {
    const basketId = await offeredBasket();
    const page = await open(c.keys.florist);
    expect(await page.getByTestId('who').textContent()).toBe('Fleur Florist · Client, Supplier · Circles');
    await page.getByText('No offers waiting.').waitFor();
    await page.getByText('Nothing to fulfil.').waitFor();

    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByText('0 orders').waitFor();
    await page.getByRole('link', { name: 'Earnings' }).click();
    await page.getByText('No fulfilled orders yet.').waitFor();

    // An order held by Basket & Co, opened by its address: out of reach.
    await page.goto(`${t.url}/#/orders/${basketId}`);
    await page.getByRole('alert').filter({ hasText: "Not found, or out of this key's reach." }).waitFor();
    // Operator pages fall back to the florist's own first page.
    await page.goto(`${t.url}/#/settlement`);
    await page.getByRole('heading', { name: 'Offers' }).waitFor();

    for (const section of ['offers', 'orders', 'earnings', 'statements', 'health']) {
      await page.goto(`${t.url}/#/${section}`);
      await page.waitForLoadState('networkidle');
      const text = await page.locator('main').innerText();
      expect(text).not.toContain('Basket & Co');
      expect(text).not.toContain('Grand Hotel');
    }
    await page.close();
  });

  it("lets the operator give a member's fee override back to the network's schedule, as a new version", async () => {
    const member = await register(t, c.op, 'Override Baskets', ['SUPPLIER']);
    await t.ok(Q.setMemberTerms, { memberId: member.id, input: { supplierFeeBps: 400, offerTimeoutSeconds: 600 } }, c.op);
    const page = await open(c.op);
    await page.goto(`${t.url}/#/members/${member.id}`);
    const terms = page.getByRole('region', { name: 'Fee terms' });
    await terms.getByText('Supplier fee: Override Baskets’s own 4 %').waitFor();
    await terms.getByRole('button', { name: 'Use the network’s supplier fee' }).click();
    await terms.getByText("Supplier fee is the network's again.").waitFor();
    // Only that field went back: the network's 5 %, while the offer timeout stays the member's.
    const TERMS = `query($id: ID!) { member(id: $id) { terms { supplierFeeBps offerTimeoutSeconds } } feeTermHistory(memberId: $id) { overrides { supplierFeeBps offerTimeoutSeconds } } }`;
    const after = await t.ok(TERMS, { id: member.id }, c.op);
    expect(after.member.terms).toEqual({ supplierFeeBps: 500, offerTimeoutSeconds: 600 });
    expect(after.feeTermHistory.map((h: { overrides: unknown }) => h.overrides)).toEqual([
      { supplierFeeBps: 400, offerTimeoutSeconds: 600 },
      { supplierFeeBps: null, offerTimeoutSeconds: 600 },
    ]);
    expect(await terms.getByRole('button', { name: 'Use the network’s supplier fee' }).count()).toBe(0);
    await page.close();
  });

  it('renders every main page at phone and desktop widths (screenshots in tmp/screenshots for a person to look at)', async () => {
    const dir = path.join(__dirname, '..', 'tmp', 'screenshots');
    mkdirSync(dir, { recursive: true });
    const views = [
      { who: 'operator', key: c.op, sections: ['overview', 'members', 'orders', 'fees', 'settlement', 'relationships'] },
      { who: 'supplier', key: c.keys.supplier, sections: ['offers', 'orders', 'earnings', 'statements', 'health'] },
      { who: 'client', key: c.keys.client, sections: ['place-order', 'orders', 'statements'] },
      { who: 'partner', key: c.keys.p1, sections: ['referrals', 'statements', 'health'] },
    ];
    const widths = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
    let shots = 0;
    for (const view of views) {
      const page = await open(view.key);
      for (const [label, size] of Object.entries(widths)) {
        await page.setViewportSize(size);
        for (const section of view.sections) {
          await page.goto(`${t.url}/#/${section}`);
          await page.getByTestId('who').waitFor();
          await page.waitForLoadState('networkidle');
          const file = path.join(dir, `${view.who}-${section}-${label}.png`);
          await page.screenshot({ path: file, fullPage: true });
          expect(statSync(file).size).toBeGreaterThan(1000);
          shots++;
        }
      }
      await page.close();
    }
    expect(shots).toBe(2 * views.reduce((n, v) => n + v.sections.length, 0));
  }, 90_000);
});
