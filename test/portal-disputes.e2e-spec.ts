import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Locator, Page } from 'playwright-core';
import { eventually } from '@tandem/testing';
import { buildCircles } from './support/community';
import { PortalBrowser } from './support/portal-browser';
import { TandemHarness } from './support/tandem';

/*
 * Feedback, disputes and partial refunds in the portal (issue 18), in a real
 * headless Chromium against the real API and worker: the client rates and
 * disputes from its order page, the supplier rates back and answers, the
 * operator previews a partial refund leg by leg and resolves, and the money
 * follows to the cent; the ratings reach each party's relationship page.
 */

const MONEY = 'amount currency';
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } refundedAmount { ${MONEY} }
  feedback { subject rating comment author { id } }
  dispute { status reason supplierResponse resolution refund { ${MONEY} } }
  refunds { amount { ${MONEY} } reversed { clientFee { amount } supplierFee { amount } clientPays { amount } supplierReceives { amount } hubNet { amount } partnerShares { amount { amount } } } } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const OPEN = `mutation($id: ID!, $reason: String!) { openDispute(orderId: $id, reason: $reason) { id status } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedToHub { amount } owedByHub { amount } } }`;
const HEALTH = `query($m: ID!) { relationshipHealth(memberId: $m) { ratingReceived ratingOfHub disputes } }`;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let seq = 0;

describe('portal: feedback, disputes and partial refunds (headless Chromium against the API and worker)', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let browser: PortalBrowser;
  let disputed: string;

  beforeAll(async () => {
    browser = await PortalBrowser.launch('portal-disputes', () => t.url);
    t = await TandemHarness.start('portal-disputes');
    c = await buildCircles(t);
    disputed = await fulfilledBasket();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  afterEach(() => {
    expect(browser.takeErrors()).toEqual([]);
  });

  async function open(key: string, hash = ''): Promise<Page> {
    const page = await browser.open(key);
    if (hash) await page.goto(`${t.url}/#/${hash}`);
    return page;
  }

  /** A Grand Hotel basket of Basket & Co, accepted, fulfilled and posted (the client owes 132.00 for it). */
  async function fulfilledBasket(): Promise<string> {
    const input = {
      category: 'gift-baskets',
      region: 'US-NY',
      quantity: 1,
      deliverBy: inDays(3),
      budget: { amount: '150', currency: 'USD' },
      idempotencyKey: `portal-disputes-${++seq}`,
    };
    const before = (await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount;
    const { placeOrder } = await t.ok(PLACE, { input }, c.keys.client);
    await eventually(async () => (await t.ok(ORDER, { id: placeOrder.id }, c.op)).order.status === 'OFFERED');
    await t.ok(ACCEPT, { id: placeOrder.id }, c.keys.supplier);
    await t.ok(FULFIL, { id: placeOrder.id }, c.keys.supplier);
    await eventually(async () => (await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub.amount !== before);
    return placeOrder.id;
  }

  const order = async (id: string) => (await t.ok(ORDER, { id }, c.op)).order;
  const balance = async (memberId: string) => (await t.ok(BALANCE, { m: memberId }, c.op)).balance;

  /** Picks a rating and leaves a comment in the form that rates `name`. */
  async function rate(page: Page, name: string, rating: number, comment?: string) {
    const form = page.getByRole('form', { name: `Rate ${name}` });
    await form
      .getByRole('group', { name: new RegExp(`^Your rating of ${name}`) })
      .getByLabel(String(rating), { exact: true })
      .check();
    if (comment) await form.getByLabel(`Comment on ${name} (optional)`).fill(comment);
    await form.getByRole('button', { name: `Rate ${name}` }).click();
    await page.getByText(`Thank you: you rated ${name} ${rating} / 5.`).waitFor();
    // One rating per subject: its form goes once the page has the answer.
    await form.waitFor({ state: 'detached' });
  }

  /** A full-page screenshot in tmp/screenshots for a person to look at. */
  async function shoot(page: Page, name: string) {
    const dir = path.join(__dirname, '..', 'tmp', 'screenshots');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `disputes-${name}.png`), fullPage: true });
  }

  async function noAccessibilityViolations(page: Page, include: string) {
    const results = await new AxeBuilder({ page: page as never }).include(include).analyze();
    expect(results.passes.length).toBeGreaterThan(0);
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  it('lets the client rate the supplier and the hub and open a dispute, and the supplier rate back and answer it', async () => {
    const client = await open(c.keys.client, `orders/${disputed}`);
    await client.getByRole('heading', { name: 'Order: 1 × gift-baskets' }).waitFor();
    await client.getByRole('heading', { name: 'Rate this order' }).waitFor();
    // A rating is required: the form says so next to it and sends nothing.
    await client.getByRole('form', { name: 'Rate Basket & Co' }).getByRole('button', { name: 'Rate Basket & Co' }).click();
    await client.getByText('Choose a rating of Basket & Co from 1 to 5.').waitFor();
    expect(await client.evaluate('document.activeElement?.type')).toBe('radio');
    expect((await order(disputed)).feedback).toEqual([]);

    await rate(client, 'Basket & Co', 5, 'Lovely basket, on time');
    await rate(client, 'the hub', 4);
    // Rated once each: no form is left, and the list shows both.
    expect(await client.getByRole('form', { name: /^Rate / }).count()).toBe(0);
    const list = client.locator('#feedback li');
    expect(await list.allInnerTexts()).toEqual([
      expect.stringMatching(/^You rated Basket & Co 5 \/ 5 “Lovely basket, on time” /),
      expect.stringMatching(/^You rated the hub 4 \/ 5 /),
    ]);

    // An empty reason is refused in the page; then the dispute opens and the order is DISPUTED.
    const disputeForm = client.getByRole('form', { name: 'Open a dispute' });
    await disputeForm.getByRole('button', { name: 'Open a dispute' }).click();
    await disputeForm.getByText('Write what went wrong.').waitFor();
    expect(await disputeForm.getByLabel('What went wrong').getAttribute('aria-invalid')).toBe('true');
    expect(await client.evaluate('document.activeElement?.tagName')).toBe('TEXTAREA');
    await disputeForm.getByLabel('What went wrong').fill('Two of the six jars arrived broken');
    await disputeForm.getByRole('button', { name: 'Open a dispute' }).click();
    await client.getByText('Dispute opened: the supplier may answer, then the hub decides.').waitFor();
    expect(await client.getByTestId('dispute-reason').textContent()).toBe('Two of the six jars arrived broken');
    await client.getByRole('form', { name: 'Open a dispute' }).waitFor({ state: 'detached' });
    await noAccessibilityViolations(client, 'main');
    await shoot(client, 'client-order');
    await client.close();

    const supplier = await open(c.keys.supplier, `orders/${disputed}`);
    await supplier.getByRole('heading', { name: 'Dispute', exact: true }).waitFor();
    expect(await supplier.getByTestId('dispute-reason').textContent()).toBe('Two of the six jars arrived broken');
    await rate(supplier, 'Grand Hotel', 3, 'Hard to reach at the door');
    await rate(supplier, 'the hub', 2);
    const answer = supplier.getByRole('form', { name: 'Answer the dispute' });
    await answer.getByLabel('Your answer to Grand Hotel').fill('Packed with care; the courier dropped the box');
    await answer.getByRole('button', { name: 'Send the answer' }).click();
    await supplier.getByText('Answer sent: the hub reads both sides before it decides.').waitFor();
    expect(await supplier.getByTestId('dispute-response').textContent()).toBe('Packed with care; the courier dropped the box');
    // The supplier sees the client's feedback too.
    await supplier.locator('#feedback li').filter({ hasText: 'Grand Hotel rated Basket & Co 5 / 5' }).waitFor();
    await supplier.close();

    const seen = await order(disputed);
    expect(seen.status).toBe('DISPUTED');
    expect(seen.dispute).toMatchObject({
      status: 'OPEN',
      reason: 'Two of the six jars arrived broken',
      supplierResponse: 'Packed with care; the courier dropped the box',
      refund: null,
    });
    expect(seen.feedback.map((f: any) => `${f.author.id === c.client.id ? 'client' : 'supplier'}:${f.subject}:${f.rating}:${f.comment}`)).toEqual([
      'client:SUPPLIER:5:Lovely basket, on time',
      'client:HUB:4:null',
      'supplier:CLIENT:3:Hard to reach at the door',
      'supplier:HUB:2:null',
    ]);
  });

  it('lets the operator preview a partial refund leg by leg and resolve with it; the balances fall by exactly that', async () => {
    const before = { client: await balance(c.client.id), supplier: await balance(c.supplier.id), p1: await balance(c.p1.id), p2: await balance(c.p2.id) };
    expect([before.client.owedToHub.amount, before.supplier.owedByHub.amount, before.p1.owedByHub.amount, before.p2.owedByHub.amount]).toEqual([
      '132.00',
      '114.00',
      '2.40',
      '1.20',
    ]);
    const page = await open(c.op);
    await page.getByRole('link', { name: 'Disputes' }).click();
    const card = page.getByRole('article', { name: '1 × gift-baskets for Grand Hotel' });
    await card.waitFor();
    expect(await card.getByTestId('dispute-reason').textContent()).toBe('Two of the six jars arrived broken');
    expect(await card.getByTestId('dispute-response').textContent()).toBe('Packed with care; the courier dropped the box');

    // More than the price: the API's preview refuses it, shown next to the field, and nothing is refunded.
    await card.getByLabel('Refund amount (USD)').fill('120.01');
    await card.getByRole('button', { name: 'Preview the refund' }).click();
    await card.getByText(/the amount is above what remains to refund, 120\.00 USD/).waitFor();
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-invalid")')).toBe('true');

    await card.getByLabel('Refund amount (USD)').fill('30');
    await card.getByLabel('Note for both sides (optional)').fill('A quarter back for the broken jars');
    await card.getByRole('button', { name: 'Preview the refund' }).click();
    const preview = card.getByRole('table', { name: 'What refunding 30.00 USD reverses' });
    await preview.waitFor();
    expect(await legs(preview)).toEqual([
      ['Price refunded', '30.00 USD'],
      ['Client fee reversed', '3.00 USD'],
      ['Supplier fee reversed', '1.50 USD'],
      ['Client gets back', '33.00 USD'],
      ['Supplier gives back', '28.50 USD'],
      ['Share Pia Partner gives back (referred Grand Hotel)', '0.60 USD'],
      ['Share Paul Partner gives back (referred Basket & Co)', '0.30 USD'],
      ["Hub's net falls by", '3.60 USD'],
      ['Refunded in all after this', '30.00 USD'],
      ['Left of the price', '90.00 USD'],
    ]);
    // The preview took focus, so a screen reader reads it before the confirmation.
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Preview of the refund of 1 × gift-baskets for Grand Hotel');
    // Nothing has been refunded by the preview.
    expect((await order(disputed)).refundedAmount.amount).toBe('0.00');
    await noAccessibilityViolations(page, 'main');
    await shoot(page, 'operator-preview');

    await card.getByRole('button', { name: 'Confirm: refund 30.00 USD and resolve' }).click();
    await page.getByText('Resolved 1 × gift-baskets for Grand Hotel: 30.00 USD refunded.').waitFor();
    // The card is gone from the open list: focus moves to the confirmation, not back to the top.
    const resolved = 'Resolved 1 × gift-baskets for Grand Hotel: 30.00 USD refunded.';
    await page.waitForFunction(`document.activeElement?.textContent === ${JSON.stringify(resolved)}`);
    await page.getByText('No open dispute.').waitFor();
    const closed = page.locator('#closed-disputes').getByRole('article', { name: '1 × gift-baskets for Grand Hotel' });
    await closed.getByText('Resolved', { exact: true }).first().waitFor();
    expect(await closed.getByTestId('dispute-resolution').textContent()).toBe('A quarter back for the broken jars');

    const after = await order(disputed);
    expect(after.status).toBe('PARTIALLY_REFUNDED');
    expect(after.refundedAmount).toEqual({ amount: '30.00', currency: 'USD' });
    expect(after.dispute).toMatchObject({ status: 'RESOLVED', refund: { amount: '30.00', currency: 'USD' }, resolution: 'A quarter back for the broken jars' });
    expect(after.refunds).toEqual([
      {
        amount: { amount: '30.00', currency: 'USD' },
        reversed: {
          clientFee: { amount: '3.00' },
          supplierFee: { amount: '1.50' },
          clientPays: { amount: '33.00' },
          supplierReceives: { amount: '28.50' },
          hubNet: { amount: '3.60' },
          partnerShares: [{ amount: { amount: '0.60' } }, { amount: { amount: '0.30' } }],
        },
      },
    ]);
    // Posting is background work: within 2 seconds, each balance falls by exactly its leg.
    await eventually(async () => (await balance(c.client.id)).owedToHub.amount === '99.00');
    expect((await balance(c.supplier.id)).owedByHub.amount).toBe('85.50');
    expect((await balance(c.p1.id)).owedByHub.amount).toBe('1.80');
    expect((await balance(c.p2.id)).owedByHub.amount).toBe('0.90');

    // The order page lists the refund with the legs it reversed.
    await page.goto(`${t.url}/#/orders/${disputed}`);
    const listed = page.getByRole('table', { name: /^Refund 1: 30\.00 USD, / });
    await listed.waitFor();
    expect((await legs(listed)).slice(0, 5)).toEqual([
      ['Price refunded', '30.00 USD'],
      ['Client fee reversed', '3.00 USD'],
      ['Supplier fee reversed', '1.50 USD'],
      ['Client gets back', '33.00 USD'],
      ['Supplier gives back', '28.50 USD'],
    ]);
    await page.close();
  });

  it("shows the ratings and disputes on each party's relationship page and on the operator's member page", async () => {
    // Ratings reach relationship health within 5 seconds.
    await eventually(async () => (await t.ok(HEALTH, { m: c.supplier.id }, c.op)).relationshipHealth.ratingReceived === 5, 6000);
    const supplier = await open(c.keys.supplier);
    await supplier.getByRole('link', { name: 'Relationship' }).click();
    const ratings = supplier.getByRole('region', { name: 'Ratings' });
    expect(await ratingFigures(ratings)).toEqual(['5.0 / 5', '2.0 / 5', '1']);
    await shoot(supplier, 'supplier-relationship');
    await supplier.close();

    const client = await open(c.keys.client, 'health');
    expect(await ratingFigures(client.getByRole('region', { name: 'Ratings' }))).toEqual(['3.0 / 5', '4.0 / 5', '1']);
    await client.close();

    const operator = await open(c.op, `members/${c.client.id}`);
    const section = operator.getByRole('region', { name: 'Ratings' });
    await section.getByText('How others rate Grand Hotel').waitFor();
    expect(await ratingFigures(section)).toEqual(['3.0 / 5', '4.0 / 5', '1']);
    await operator.close();
  });

  it('lets the operator refund more of the order from its page, previewed on the cumulative amount, then the rest: every leg ends reversed exactly', async () => {
    const page = await open(c.op, `orders/${disputed}`);
    const refunds = page.getByRole('region', { name: 'Refunds' });
    await refunds.getByText('Refunded so far: 30.00 USD').waitFor();
    await refunds.getByLabel('Refund amount (USD)').fill('50.00');
    await refunds.getByRole('button', { name: 'Preview the refund' }).click();
    // R = 80.00 of 120.00: each leg reverses round_half_up(L × 80 / 120) less what the first 30.00 reversed.
    expect(await legs(refunds.getByRole('table', { name: 'What refunding 50.00 USD reverses' }))).toEqual([
      ['Price refunded', '50.00 USD'],
      ['Client fee reversed', '5.00 USD'],
      ['Supplier fee reversed', '2.50 USD'],
      ['Client gets back', '55.00 USD'],
      ['Supplier gives back', '47.50 USD'],
      ['Share Pia Partner gives back (referred Grand Hotel)', '1.00 USD'],
      ['Share Paul Partner gives back (referred Basket & Co)', '0.50 USD'],
      ["Hub's net falls by", '6.00 USD'],
      ['Refunded in all after this', '80.00 USD'],
      ['Left of the price', '40.00 USD'],
    ]);
    await refunds.getByRole('button', { name: 'Confirm: refund 50.00 USD' }).click();
    await page.getByText('Refunded 50.00 USD: every leg reversed in proportion.').waitFor();
    await refunds.getByText('Refunded so far: 80.00 USD').waitFor();
    expect((await order(disputed)).status).toBe('PARTIALLY_REFUNDED');

    // refundOrder takes whatever remains, after a confirmation.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Refund the rest' }).click();
    await page.getByText('Refunded the rest: every leg is now reversed in full.').waitFor();
    const last = page.getByRole('table', { name: /^Refund 3: 40\.00 USD, / });
    expect((await legs(last)).map(([, amount]) => amount)).toEqual([
      '40.00 USD',
      '4.00 USD',
      '2.00 USD',
      '44.00 USD',
      '38.00 USD',
      '0.80 USD',
      '0.40 USD',
      '4.80 USD',
    ]);
    // Nothing is left to refund: the form is gone.
    await refunds.getByLabel('Refund amount (USD)').waitFor({ state: 'detached' });

    const after = await order(disputed);
    expect([after.status, after.refundedAmount.amount, after.refunds.map((r: any) => r.amount.amount)]).toEqual([
      'REFUNDED',
      '120.00',
      ['30.00', '50.00', '40.00'],
    ]);
    // Every leg reversed exactly: nothing of this order is left in any balance.
    await eventually(async () => (await balance(c.client.id)).owedToHub.amount === '0.00');
    expect([(await balance(c.supplier.id)).owedByHub.amount, (await balance(c.p1.id)).owedByHub.amount, (await balance(c.p2.id)).owedByHub.amount]).toEqual([
      '0.00',
      '0.00',
      '0.00',
    ]);
    await page.close();
  });

  it("shows the API's refusal of a refund on a page that missed the dispute; the operator then rejects the dispute and nothing moves", async () => {
    const id = await fulfilledBasket();
    const before = await balance(c.client.id);
    const page = await open(c.op, `orders/${id}`);
    const refunds = page.getByRole('region', { name: 'Refunds' });
    await refunds.getByLabel('Refund amount (USD)').waitFor();
    // The page stops refreshing the order, so it still offers a refund when the client disputes it.
    await page.route('**/graphql', (route) => {
      const body = route.request().postData() ?? '';
      return body.includes('"query":"query Order(') || body.includes('"query":"query OrderVoices(') ? route.abort() : route.fallback();
    });
    await t.ok(OPEN, { id, reason: 'The ribbon was the wrong colour' }, c.keys.client);
    await refunds.getByLabel('Refund amount (USD)').fill('10.00');
    await refunds.getByRole('button', { name: 'Preview the refund' }).click();
    await refunds.getByRole('button', { name: 'Confirm: refund 10.00 USD' }).click();
    await refunds.getByRole('alert').filter({ hasText: 'this order is DISPUTED: its dispute must be resolved first' }).waitFor();
    expect([(await order(id)).status, (await order(id)).refundedAmount.amount]).toEqual(['DISPUTED', '0.00']);
    await page.unroute('**/graphql');

    const sent = graphqlSent(page);
    await page.goto(`${t.url}/#/disputes`);
    const card = page.getByRole('article').filter({ hasText: 'The ribbon was the wrong colour' });
    await card.waitFor();
    // The page asks the API's disputes list for its first 50, open ones first: no walk of the orders of each status.
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent.map((s) => JSON.stringify(s)))).toEqual(new Set([JSON.stringify({ name: 'Disputes', variables: { first: 50, after: null } })]));
    await card.getByLabel('Note for both sides (optional)').fill('The order asked for no colour');
    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: 'Reject without refund' }).click();
    await page.getByText('Rejected the dispute on 1 × gift-baskets for Grand Hotel.').waitFor();
    await page.getByText('No open dispute.').waitFor();
    await page.locator('#closed-disputes').getByText('Rejected', { exact: true }).first().waitFor();
    // Decided ones newest first: this rejection, then the resolution of the first test.
    expect(await page.locator('#closed-disputes').getByTestId('dispute-reason').allTextContents()).toEqual([
      'The ribbon was the wrong colour',
      'Two of the six jars arrived broken',
    ]);
    const after = await order(id);
    expect(after.status).toBe('FULFILLED');
    expect(after.dispute).toMatchObject({ status: 'REJECTED', refund: null, resolution: 'The order asked for no colour' });
    expect(after.refundedAmount.amount).toBe('0.00');
    expect((await balance(c.client.id)).owedToHub.amount).toBe(before.owedToHub.amount);
    await page.close();
  });
});

/** The GraphQL operations the page sends from now on, by name with their variables, in order. */
function graphqlSent(page: Page): { name: string; variables: unknown }[] {
  const sent: { name: string; variables: unknown }[] = [];
  page.on('request', (r) => {
    if (!r.url().endsWith('/graphql') || r.method() !== 'POST') return;
    const body = JSON.parse(r.postData() ?? '{}') as { query?: string; variables?: unknown };
    sent.push({ name: /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query ?? '')?.[1] ?? '?', variables: body.variables });
  });
  return sent;
}

/** Each row of a refund table as [label, amount]. */
async function legs(table: Locator): Promise<string[][]> {
  // The table may still be on its way (a success message shows before the refreshed order).
  await table.waitFor();
  const rows = await table.getByRole('row').all();
  return Promise.all(rows.map(async (r) => [(await r.getByRole('rowheader').innerText()).trim(), (await r.getByRole('cell').innerText()).trim()]));
}

/** The three figures of a Ratings section: rating received, rating of the hub, disputes. */
async function ratingFigures(section: Locator): Promise<string[]> {
  await section.getByTestId('rating-received').waitFor();
  return [
    (await section.getByTestId('rating-received').innerText()).trim(),
    (await section.getByTestId('rating-of-hub').innerText()).trim(),
    (await section.getByTestId('disputes-count').innerText()).trim(),
  ];
}
