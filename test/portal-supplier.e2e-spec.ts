import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Page } from 'playwright-core';
import { eventually } from '@tandem/testing';
import { buildCircles } from './support/community';
import { PortalBrowser } from './support/portal-browser';
import { TandemHarness } from './support/tandem';
import { WebhookReceiver } from './support/webhook-receiver';

/*
 * The supplier's capabilities page and the webhooks page in a real headless
 * Chromium against the real API and worker (the setup of portal.e2e-spec.ts).
 */

const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } price { amount currency }
  fees { price { amount } clientFee { amount } supplierFee { amount } clientPays { amount } supplierReceives { amount }
         partnerShares { partner { name } amount { amount } } hubNet { amount } } } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;
const CAPABILITIES = `{ me { capabilities { category unitPrice { amount currency } } } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedByHub { amount } } }`;
const RUN = `mutation { runSettlement { statements { member { id } ordersAsSupplier supplierFees { amount } } } }`;
const BASELINE = `mutation($m: ID!, $amount: MoneyInput!) { setAcquisitionBaseline(memberId: $m, amount: $amount) { acquisitionBaseline { amount } } }`;
const FEEDBACK = `mutation($input: FeedbackInput!) { leaveFeedback(input: $input) { id } }`;
const HEALTH = `query($m: ID!) { relationshipHealth(memberId: $m) { ratingReceived acquisitionCostPerOrder { amount currency } } }`;
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let seq = 0;

const SCREENSHOTS = path.join(__dirname, '..', 'tmp', 'screenshots');

/**
 * Serious and critical axe-core violations (WCAG 2.1 A and AA, best practices)
 * of the page at phone and desktop widths, and whether it scrolls sideways; each width's full-page screenshot
 * goes to tmp/screenshots for a person to look at.
 */
async function violations(page: Page, name: string): Promise<Record<string, string[]>> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const found: Record<string, string[]> = {};
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (serious.length > 0) found[label] = serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    // Nothing widens the page past the screen: wide tables scroll inside their own box.
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    if (scrollWidth > size.width) found[`${label} overflow`] = [`the page is ${scrollWidth} px wide`];
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
  return found;
}

describe('portal: a supplier manages its capabilities, an operator its webhooks', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let rx: WebhookReceiver;
  let browser: PortalBrowser;
  /** The order the supplier accepted at its new price (the first test), fulfilled and settled by the second. */
  let acceptedOrderId: string;

  beforeAll(async () => {
    browser = await PortalBrowser.launch('portal-supplier', () => t.url);
    rx = await WebhookReceiver.start();
    t = await TandemHarness.start('portal-supplier');
    c = await buildCircles(t);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await rx?.stop();
  });

  afterEach(() => {
    expect(browser.takeErrors()).toEqual([]);
  });

  async function open(key: string, section: string): Promise<Page> {
    const page = await browser.open(key);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).click();
    await page.getByRole('heading', { level: 1, name: section }).waitFor();
    return page;
  }

  async function placeBasket(budget: string): Promise<string> {
    const input = {
      category: 'gift-baskets',
      region: 'US-NY',
      quantity: 1,
      deliverBy: inDays(3),
      budget: { amount: budget, currency: 'USD' },
      idempotencyKey: `portal-supplier-${++seq}`,
    };
    return (await t.ok(PLACE, { input }, c.keys.client)).placeOrder.id;
  }

  const settled = (id: string, statuses: string[]) =>
    eventually(async () => {
      const { order } = await t.ok(ORDER, { id }, c.op);
      return statuses.includes(order.status) && order;
    });

  it('a supplier lowers its price, sees the orders it would have reached, and the next order routes at the new price', async () => {
    // Two recent orders: 120 fits the first budget, not the second (115).
    const fits = await placeBasket('150');
    const tooTight = await placeBasket('115');
    expect((await settled(fits, ['OFFERED'])).supplier.id).toBe(c.supplier.id);
    await settled(tooTight, ['UNROUTABLE']);

    const page = await open(c.keys.supplier, 'Capabilities');
    const editor = page.getByRole('form', { name: 'gift-baskets' });
    const current = editor.getByTestId('reach-current');
    await current.filter({ hasText: 'would have been eligible for 1 of the last 2 orders' }).waitFor();
    expect(await current.textContent()).toBe(
      'As it is: would have been eligible for 1 of the last 2 orders of the last 30 days (1 more at a lower price). Not eligible: 1 over budget at this price.',
    );

    // A price the API would refuse is caught next to its field, and nothing can be saved.
    const price = editor.getByLabel('Unit price (USD)');
    await price.fill('0');
    await editor.getByText('The price must be more than zero.').waitFor();
    expect(await price.getAttribute('aria-invalid')).toBe('true');
    expect(await editor.getByRole('button', { name: 'Save gift-baskets' }).isDisabled()).toBe(true);

    // What only the API refuses (the largest amount) comes back from the preview and is shown by that field too.
    await price.fill('200000000000');
    await editor.getByText('above the largest amount accepted').waitFor();
    const describedBy = (await price.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toBe(
      'unitPrice.amount is above the largest amount accepted, 100000000000.00 USD',
    );

    // 110 fits both budgets: the effect is shown before saving, and nothing is saved yet.
    await price.fill('110');
    const proposed = editor.getByTestId('reach-proposed');
    await proposed.filter({ hasText: 'eligible for 2 of the last 2 orders' }).waitFor();
    expect(await proposed.textContent()).toBe('With your changes: would have been eligible for 2 of the last 2 orders of the last 30 days.');
    expect((await t.ok(CAPABILITIES, {}, c.keys.supplier)).me.capabilities).toEqual([
      { category: 'gift-baskets', unitPrice: { amount: '120.00', currency: 'USD' } },
    ]);

    await editor.getByRole('button', { name: 'Save gift-baskets' }).click();
    await page.getByText('Saved: gift-baskets now at 110.00 USD a unit.').waitFor();
    await current.filter({ hasText: 'eligible for 2 of the last 2 orders' }).waitFor();
    expect((await t.ok(CAPABILITIES, {}, c.keys.supplier)).me.capabilities).toEqual([
      { category: 'gift-baskets', unitPrice: { amount: '110.00', currency: 'USD' } },
    ]);

    // The open offer keeps its price; the next order is offered at 110.00.
    await t.ok(CANCEL, { id: fits }, c.op);
    const next = await placeBasket('150');
    const offered = await settled(next, ['OFFERED']);
    expect([offered.supplier.id, offered.price]).toEqual([c.supplier.id, { amount: '110.00', currency: 'USD' }]);

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Offers' }).click();
    await page.getByRole('button', { name: 'Accept 1 × gift-baskets for Grand Hotel' }).click();
    await page.getByText('Accepted 1 × gift-baskets: you receive 104.50 USD after a fee of 5.50 USD.').waitFor();
    const { order } = await t.ok(ORDER, { id: next }, c.op);
    // 10 % client fee, 5 % supplier fee; Pia referred the client (20 % of its fee), Paul the supplier (20 % of its fee).
    expect(order.fees).toEqual({
      price: { amount: '110.00' },
      clientFee: { amount: '11.00' },
      supplierFee: { amount: '5.50' },
      clientPays: { amount: '121.00' },
      supplierReceives: { amount: '104.50' },
      partnerShares: [
        { partner: { name: 'Pia Partner' }, amount: { amount: '2.20' } },
        { partner: { name: 'Paul Partner' }, amount: { amount: '1.10' } },
      ],
      hubNet: { amount: '13.20' },
    });
    acceptedOrderId = next;
    await page.close();
  });

  it('shows the supplier its acquisition cost per order against its baseline, per settled period, and the rating clients gave it', async () => {
    await t.ok(FULFIL, { id: acceptedOrderId }, c.keys.supplier);
    await eventually(async () => (await t.ok(BALANCE, { m: c.supplier.id }, c.op)).balance.owedByHub.amount === '104.50');
    const { runSettlement } = await t.ok(RUN, {}, c.op);
    expect(runSettlement.statements.find((s: any) => s.member.id === c.supplier.id)).toEqual({
      member: { id: c.supplier.id },
      ordersAsSupplier: 1,
      supplierFees: { amount: '5.50' },
    });
    await t.ok(BASELINE, { m: c.supplier.id, amount: { amount: '100', currency: 'USD' } }, c.keys.supplier);
    await t.ok(FEEDBACK, { input: { orderId: acceptedOrderId, subject: 'SUPPLIER', rating: 4 } }, c.keys.client);
    await eventually(async () => (await t.ok(HEALTH, { m: c.supplier.id }, c.keys.supplier)).relationshipHealth.ratingReceived === 4);

    const page = await open(c.keys.supplier, 'Capabilities');
    const acquisition = page.getByRole('region', { name: 'Acquisition cost' });
    await acquisition.getByTestId('acquisition-cost').waitFor();
    expect(await acquisition.getByTestId('acquisition-cost').textContent()).toBe('5.50 USD');
    await acquisition.getByText('94.5 % less than winning a customer elsewhere.').first().waitFor();
    const period = acquisition.getByRole('row').nth(1);
    expect(await period.locator('td').allTextContents()).toEqual(['1', '5.50 USD', '94.5 % less than winning a customer elsewhere.']);
    expect(await page.getByTestId('rating-received').textContent()).toBe('4.0 / 5');

    await page.getByTestId('reach-current').waitFor();
    expect(await violations(page, 'supplier-capabilities')).toEqual({});
    await page.close();
  });

  it('an operator creates an endpoint, keeps its secret (shown once), sends a test and sees it delivered', async () => {
    const page = await open(c.op, 'Webhooks');
    await page.getByText('No endpoints yet.').waitFor();
    const form = page.getByRole('form', { name: 'New endpoint' });
    await form.getByLabel('URL', { exact: true }).fill('not a url');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await form.getByText('Give an absolute URL').waitFor();

    await form.getByLabel('URL', { exact: true }).fill(rx.url('/portal-hook'));
    await form.getByLabel('Description (optional)').fill('the books');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    const secretBox = page.getByTestId('webhook-secret');
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await page.getByRole('button', { name: 'Copy secret' }).waitFor();
    await page.getByRole('button', { name: 'I have kept it' }).click();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);

    // Shown once: a reload lists the endpoint without it.
    await page.reload();
    const endpoint = page.getByRole('article', { name: rx.url('/portal-hook') });
    await endpoint.getByText('All events').waitFor();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);

    await endpoint.getByRole('button', { name: 'Send a test' }).click();
    await endpoint.getByText('Test event sent: see its delivery below.').waitFor();
    const row = endpoint.getByTestId('webhook-delivery').filter({ hasText: 'webhook.test' });
    await row.getByTestId('webhook-delivery-status').filter({ hasText: 'Succeeded' }).waitFor({ timeout: 15_000 });
    expect(await row.locator('td').nth(1).textContent()).toBe('1');
    expect(await row.locator('td').nth(2).textContent()).toMatch(/^HTTP 200/);

    // The receiver got it, signed with the secret the page showed (Standard Webhooks).
    const got = rx.at('/portal-hook').find((r) => JSON.parse(r.body).type === 'webhook.test');
    if (!got) throw new Error('the receiver got no webhook.test');
    const signed = `${got.headers['webhook-id']}.${got.headers['webhook-timestamp']}.${got.body}`;
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(signed)
      .digest('base64');
    expect(String(got.headers['webhook-signature']).split(' ')).toContain(`v1,${expected}`);

    // The page with its deliveries open, at both widths.
    expect(await violations(page, 'operator-webhooks')).toEqual({});

    // Redeliver sends the same event again.
    await row.getByRole('button', { name: /^Send webhook\.test of .* again$/ }).click();
    await endpoint.getByText('Sent webhook.test again.').waitFor();
    await eventually(async () => rx.at('/portal-hook').filter((r) => JSON.parse(r.body).type === 'webhook.test').length === 2);
    const ids = rx
      .at('/portal-hook')
      .filter((r) => JSON.parse(r.body).type === 'webhook.test')
      .map((r) => r.headers['webhook-id']);
    expect(ids[1]).toBe(ids[0]);

    // Rotate shows a new secret once; disable, then delete.
    await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    await secretBox.waitFor();
    const rotated = await secretBox.inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole('button', { name: 'I have kept it' }).click();
    await endpoint.getByRole('button', { name: 'Disable' }).click();
    await endpoint.getByText('Disabled', { exact: true }).waitFor();
    await endpoint.getByRole('button', { name: 'Delete', exact: true }).click();
    await endpoint.getByRole('button', { name: 'Delete for good' }).click();
    await page.getByText('No endpoints yet.').waitFor();
    await page.close();
  });
  it("a supplier keeps its own endpoints, for the event types it chooses, apart from the network's", async () => {
    // The operator's endpoint is the network's: the supplier never sees it.
    await t.ok(
      `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
      { input: { url: rx.url('/network'), eventTypes: ['*'] } },
      c.op,
    );
    const page = await open(c.keys.supplier, 'Webhooks');
    await page.getByText('No endpoints yet.').waitFor();
    const form = page.getByRole('form', { name: 'New endpoint' });
    await form.getByLabel('URL', { exact: true }).fill(rx.url('/supplier-hook'));
    await form.getByLabel('All events this key may see').uncheck();
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await form.getByText('Choose at least one event type, or all.').waitFor();
    await form.getByLabel('order.offered').check();
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    const endpoint = page.getByRole('article', { name: rx.url('/supplier-hook') });
    await endpoint.getByText('order.offered', { exact: true }).waitFor();
    expect(await page.getByRole('article').count()).toBe(1);

    // An offer to the supplier reaches its endpoint, and the page shows the delivery.
    await placeBasket('150');
    await endpoint.getByRole('button', { name: 'Show deliveries' }).click();
    const row = endpoint.getByTestId('webhook-delivery').filter({ hasText: 'order.offered' });
    await row.getByTestId('webhook-delivery-status').filter({ hasText: 'Succeeded' }).waitFor({ timeout: 15_000 });
    expect(rx.types('/supplier-hook')).toEqual(['order.offered']);
    await page.close();
  });
});
