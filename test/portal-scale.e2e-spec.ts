import { Queue } from 'bullmq';
import { Page, Response } from 'playwright-core';
import { QUEUES, queueConnectionOptions } from '@tandem/jobs';
import { eventually } from '@tandem/testing';
import { Q, createNetwork, issueKey, register, vet } from './support/community';
import { probeSql } from './support/processes';
import { PortalBrowser } from './support/portal-browser';
import { TandemHarness } from './support/tandem';

/*
 * The operator's portal in a network of 1,000 members (headless Chromium
 * against the real API and worker): every table reads one page of 50 at a
 * time, filtered by the API, so the weakest supplier is found without the
 * portal ever holding more than one page.
 */

const RELATIONSHIPS = `query($role: Role, $atRisk: Boolean, $first: Int) {
  relationships(role: $role, atRisk: $atRisk, first: $first) { totalCount edges { node { member { id name } score atRisk } } } }`;
const SEARCH = `query($search: String, $first: Int) { relationships(search: $search, first: $first) { edges { node { member { name } } } } }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER = `query($id: ID!) { order(id: $id) { status supplier { id } } }`;
const DECLINE = `mutation($id: ID!) { declineOrder(orderId: $id) { id } }`;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const LIVE_SCORE = `query($id: ID!) { relationshipHealth(memberId: $id) { score } }`;
const SET_AT_RISK = `mutation($input: HealthSettingsInput!) { updateHealthSettings(input: $input) { atRiskScore } }`;
const SEEDED = { clients: 600, suppliers: 300, partners: 99 };
const MEMBERS = SEEDED.clients + SEEDED.suppliers + SEEDED.partners + 1;

/** The number of edges in one GraphQL answer, wherever a connection sits in it. */
function edgesIn(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + edgesIn(v), 0);
  return Object.entries(value).reduce((n, [k, v]) => n + (k === 'edges' && Array.isArray(v) ? v.length : 0) + edgesIn(v), 0);
}

/** One GraphQL answer the tab received: its operation, the variables it was asked with and the edges it held. */
interface Answer {
  operation: string;
  edges: number;
  variables: Record<string, unknown>;
}

describe('the operator portal at 1,000 members (headless Chromium)', () => {
  let t: TandemHarness;
  let op: string;
  let wilting: { id: string };
  let browser: PortalBrowser;

  beforeAll(async () => {
    browser = await PortalBrowser.launch('scale', () => t.url);
    t = await TandemHarness.start('portal-scale');
    const net = await createNetwork(t, 'Thousand');
    op = net.op;
    // Test fixtures straight into the suite's own database: 999 members in three statements.
    const insert = (role: string, label: string, n: number, vetting: string | null) =>
      probeSql(
        t.config.databaseUrl,
        `INSERT INTO members (id, network_id, name, roles, vetting_status, term_overrides, joined_at, created_at)
         SELECT gen_random_uuid(), $1, $2 || ' ' || lpad(g::text, 3, '0'), ARRAY[$3], $4, '{}'::jsonb, now() - interval '30 days', now()
           FROM generate_series(1, $5) g`,
        [net.id, label, role, vetting, n],
      );
    await insert('CLIENT', 'Client', SEEDED.clients, null);
    await insert('SUPPLIER', 'Supplier', SEEDED.suppliers, 'VETTED');
    await insert('PARTNER', 'Partner', SEEDED.partners, null);
    // The one supplier whose relationship eroded: it declined the order offered to it, then was suspended.
    const [{ id: clientId }] = await probeSql<{ id: string }>(t.config.databaseUrl, `SELECT id FROM members WHERE network_id = $1 AND name = 'Client 001'`, [
      net.id,
    ]);
    wilting = await register(t, op, 'Wilting Wares', ['SUPPLIER']);
    await vet(t, op, wilting.id, 'VETTED');
    const capability = {
      supplierId: wilting.id,
      category: 'wreaths',
      regions: ['US-NY'],
      dailyCapacity: 5,
      leadTimeHours: 1,
      unitPrice: { amount: '40', currency: 'USD' },
    };
    await t.ok(Q.addCapability, { input: capability }, op);
    const order = {
      clientId,
      category: 'wreaths',
      region: 'US-NY',
      quantity: 1,
      deliverBy: inDays(3),
      budget: { amount: '50', currency: 'USD' },
      idempotencyKey: 'wreath-1',
    };
    const { placeOrder } = await t.ok(PLACE, { input: order }, op);
    await eventually(async () => (await t.ok(ORDER, { id: placeOrder.id }, op)).order.supplier?.id === wilting.id);
    await t.ok(DECLINE, { id: placeOrder.id }, await issueKey(t, op, wilting.id));
    await vet(t, op, wilting.id, 'SUSPENDED', 'declined and missed deliveries');

    // Its weekly snapshots of the last month, as the snapshot job writes them: 62, 55, 48 (the trend line).
    await probeSql(
      t.config.databaseUrl,
      `INSERT INTO health_snapshots (member_id, network_id, computed_at, score, credibility, reliability, intimacy, self_orientation,
                                     trust, value_to_member_minor, value_to_hub_minor, currency, at_risk)
       SELECT $1, $2, now() - (w * interval '7 days'), 41 + 7 * w, 5, 5, 5, 5, 3, 0, 0, 'USD', false FROM generate_series(1, 3) w`,
      [wilting.id, net.id],
    );
    // At risk below a score between the suspended supplier's and a healthy supplier's (both computed live).
    const [{ id: healthyId }] = await probeSql<{ id: string }>(t.config.databaseUrl, `SELECT id FROM members WHERE network_id = $1 AND name = 'Supplier 001'`, [
      net.id,
    ]);
    const scoreOf = async (id: string) => (await t.ok(LIVE_SCORE, { id }, op)).relationshipHealth.score as number;
    const [low, healthy] = [await scoreOf(wilting.id), await scoreOf(healthyId)];
    expect(healthy - low).toBeGreaterThanOrEqual(2);
    await t.ok(SET_AT_RISK, { input: { atRiskScore: Math.floor(low) + 1 } }, op);

    const health = new Queue(QUEUES.health, queueConnectionOptions(t.config));
    try {
      await health.add('refresh-relationships', {});
      await eventually(async () => (await t.ok(RELATIONSHIPS, { first: 1 }, op)).relationships.totalCount === MEMBERS, 60_000, 250);
    } finally {
      await health.close();
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** A signed-in tab that records the edges of every GraphQL answer it receives. */
  async function open(): Promise<{ page: Page; answers: Answer[]; settled: () => Promise<void> }> {
    const page = await browser.context.newPage();
    const answers: Answer[] = [];
    const pending: Promise<void>[] = [];
    page.on('response', (res: Response) => {
      if (!res.url().endsWith('/graphql') || res.request().method() !== 'POST') return;
      const sent = JSON.parse(res.request().postData() ?? '{}') as { query?: string; variables?: Record<string, unknown> };
      const operation = /^\s*query\s+(\w+)/.exec(sent.query ?? '')?.[1] ?? 'anonymous';
      pending.push(
        res
          .json()
          .then((body) => void answers.push({ operation, edges: edgesIn(body.data), variables: sent.variables ?? {} }))
          .catch(() => undefined),
      );
    });
    await page.goto(`${t.url}/`);
    await page.getByLabel('API key').fill(op);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    const settled = async () => {
      await page.waitForLoadState('networkidle');
      await Promise.all(pending);
    };
    return { page, answers, settled };
  }

  it('finds the weakest supplier through the role and at-risk filters, never loading more than one page of 50', async () => {
    // What the API says, to compare the page with.
    const weakest = (await t.ok(RELATIONSHIPS, { role: 'SUPPLIER', atRisk: true, first: 1 }, op)).relationships;
    expect(weakest.edges[0].node.member).toEqual({ id: wilting.id, name: 'Wilting Wares' });
    const allSuppliers = (await t.ok(RELATIONSHIPS, { role: 'SUPPLIER', first: 1 }, op)).relationships.totalCount;
    expect(allSuppliers).toBe(SEEDED.suppliers + 1);

    const { page, answers, settled } = await open();
    await page.goto(`${t.url}/#/relationships`);
    const table = page.getByRole('table', { name: /weakest relationship first/ });
    await table.waitFor();
    expect(await table.getByRole('caption').textContent()).toBe(`Members, weakest relationship first (1,000 in all)`);
    expect(await table.getByRole('rowheader').count()).toBe(50);
    expect(await page.getByText('1–50 of 1,000').count()).toBe(1);
    await page.getByRole('button', { name: 'Next 50 relationships' }).click();
    await page.getByText('51–100 of 1,000').waitFor();

    await page.getByRole('combobox', { name: 'Role' }).selectOption('SUPPLIER');
    await page
      .getByRole('caption')
      .filter({ hasText: `Suppliers, weakest relationship first (${allSuppliers} in all)` })
      .waitFor();
    await page.getByRole('checkbox', { name: 'At risk only' }).check();
    await page
      .getByRole('caption')
      .filter({ hasText: `Suppliers at risk, weakest relationship first (${weakest.totalCount} in all)` })
      .waitFor();
    const first = table.getByRole('row').nth(1);
    expect(await first.getByRole('rowheader').textContent()).toBe('Wilting Wares');
    expect(await first.getByText('At risk').count()).toBe(1);
    // Its trend: the three snapshots, oldest first.
    await first.getByRole('img', { name: 'Score falling, 62 to 48 over 3 snapshots' }).waitFor();

    await settled();
    const lists = answers.filter((a) => a.operation === 'RelationshipsPage');
    // Four pages read: two of all members, then suppliers, then suppliers at risk; each at most 50 rows, and nothing else read a list.
    expect(lists.map((a) => a.edges)).toEqual([50, 50, Math.min(50, allSuppliers), weakest.totalCount]);
    expect(Math.max(...answers.map((a) => a.edges))).toBe(50);
    expect(answers.filter((a) => a.edges > 0).map((a) => a.operation)).toEqual(Array(4).fill('RelationshipsPage'));
    // Each page's trend lines come in requests of at most 25 members (two for a full page); a page left
    // before its trends arrived aborts them, so only the last page's are sure to be answered.
    const trends = answers.filter((a) => a.operation === 'HealthTrends').length;
    expect(trends).toBeLessThanOrEqual(lists.reduce((n, a) => n + Math.ceil(a.edges / 25), 0));
    expect(trends).toBeGreaterThanOrEqual(Math.ceil(weakest.totalCount / 25));

    // The row opens the member's page.
    await first.getByRole('link', { name: 'Wilting Wares' }).click();
    await page.waitForURL(new RegExp(`#/members/${wilting.id}$`));
    await page.getByRole('heading', { level: 1, name: 'Wilting Wares' }).waitFor();
    // With its history: the same line, and every snapshot in a table.
    const history = page.getByRole('region', { name: 'Health history' });
    await history.getByRole('img', { name: 'Score falling, 62 to 48 over 3 snapshots' }).waitFor();
    await history.getByText('Every snapshot (3)').click();
    const scores = await history
      .getByRole('table', { name: 'Health snapshots, oldest first' })
      .getByRole('row')
      .evaluateAll((rows) => rows.slice(1).map((r) => r.children[1]?.textContent));
    expect(scores).toEqual(['62', '55', '48']);
    await page.close();
  }, 120_000);

  it('searches the relationships by name in one list request a page, weakest first, with the other filters', async () => {
    const { page, answers, settled } = await open();
    await page.goto(`${t.url}/#/relationships`);
    const table = page.getByRole('table', { name: /weakest relationship first/ });
    await table.waitFor();
    await settled();
    const before = answers.length;

    // 'Supplier 001' to 'Supplier 099': 99 of the 1,000, found by the list itself.
    await page.getByRole('searchbox', { name: 'Name contains' }).fill('supplier 0');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('caption').filter({ hasText: 'Members whose name contains “supplier 0”, weakest relationship first (99 in all)' }).waitFor();
    expect(await table.getByRole('rowheader').count()).toBe(50);
    // In the list's order, weakest first, as the API gives it.
    const apiOrder = (await t.ok(SEARCH, { search: 'supplier 0', first: 50 }, op)).relationships.edges.map((e: any) => e.node.member.name);
    expect(apiOrder.every((name: string) => /^Supplier 0\d\d$/.test(name))).toBe(true);
    expect(await table.getByRole('rowheader').allTextContents()).toEqual(apiOrder);
    await page.getByText('1–50 of 99').waitFor();
    await settled();
    const searched = answers.slice(before).filter((a) => a.operation !== 'HealthTrends');
    // One request for the search: the relationships list with the name, no member search, no health computed member by member.
    expect(searched).toEqual([
      { operation: 'RelationshipsPage', edges: 50, variables: { role: null, atRisk: null, search: 'supplier 0', first: 50, after: null } },
    ]);

    await page.getByRole('button', { name: 'Next 50 relationships' }).click();
    await page.getByText('51–99 of 99').waitFor();
    expect(await table.getByRole('rowheader').count()).toBe(49);

    // With the role and at-risk filters: the suspended supplier alone.
    await page.getByRole('searchbox', { name: 'Name contains' }).fill('WILTING');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('combobox', { name: 'Role' }).selectOption('SUPPLIER');
    await page.getByRole('checkbox', { name: 'At risk only' }).check();
    await page
      .getByRole('caption')
      .filter({ hasText: 'Members whose name contains “WILTING” (suppliers) at risk, weakest relationship first (1 in all)' })
      .waitFor();
    expect(await table.getByRole('rowheader').allTextContents()).toEqual(['Wilting Wares']);
    await page.getByRole('searchbox', { name: 'Name contains' }).fill('Partner 0');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No relationship of a member whose name contains “Partner 0” matches these filters.').waitFor();
    await settled();
    expect(answers.filter((a) => ['MemberSearch', 'HealthOfMembers'].includes(a.operation))).toEqual([]);
    expect(Math.max(...answers.map((a) => a.edges))).toBe(50);
    await page.close();
  }, 120_000);

  it('filters the orders by client, status and days through the API, a page at a time', async () => {
    const { page, answers, settled } = await open();
    await page.goto(`${t.url}/#/orders`);
    await page
      .getByRole('status')
      .filter({ hasText: /^1 order$/ })
      .waitFor();
    // The client picker lists the first 50 of 600 clients; a name narrows it.
    await page.getByRole('searchbox', { name: 'Client name contains' }).fill('client 001');
    const client = page.getByRole('combobox', { name: 'Client', exact: true });
    await client.locator('option', { hasText: 'Client 001' }).waitFor({ state: 'attached' });
    expect(await client.locator('option').allTextContents()).toEqual(['Any client', 'Client 001']);
    await client.selectOption({ label: 'Client 001' });
    await page
      .getByRole('status')
      .filter({ hasText: /^1 order$/ })
      .waitFor();
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['1 × wreaths to US-NY']);

    await page.getByRole('combobox', { name: 'Status' }).selectOption('OFFERED');
    await page.getByText('No order matches these filters.').waitFor();
    await page.getByRole('combobox', { name: 'Status' }).selectOption('');
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Placed from').fill(today);
    await page.getByLabel('Placed until').fill(today);
    await page
      .getByRole('status')
      .filter({ hasText: /^1 order$/ })
      .waitFor();
    await page.getByLabel('Placed from').fill(tomorrow);
    await page.getByText('The first day is after the last.').waitFor();
    await page.getByLabel('Placed until').fill(tomorrow);
    await page
      .getByRole('status')
      .filter({ hasText: /^0 orders$/ })
      .waitFor();

    await settled();
    expect(Math.max(...answers.filter((a) => a.operation === 'OrdersPage').map((a) => a.edges))).toBe(1);
    // The pickers: the first 50 suppliers and clients, then the one client named.
    expect(
      answers
        .filter((a) => a.operation === 'MemberSearch')
        .map((a) => a.edges)
        .sort((a, b) => a - b),
    ).toEqual([1, 50, 50]);
    await page.close();
  }, 120_000);

  it('pages and searches the members list through the API, 50 at a time', async () => {
    const { page, answers, settled } = await open();
    await page.goto(`${t.url}/#/members`);
    const table = page.getByRole('table', { name: /^Members, oldest first/ });
    await table.waitFor();
    expect(await table.getByRole('caption').textContent()).toBe('Members, oldest first (1,000 match)');
    await page.getByText('1–50 of 1,000').waitFor();
    await page.getByRole('button', { name: 'Next 50 members' }).click();
    await page.getByText('51–100 of 1,000').waitFor();
    await page.getByRole('button', { name: 'Previous 50 members' }).click();
    await page.getByText('1–50 of 1,000').waitFor();

    // Supplier 029 and Supplier 290 to 299.
    await page.getByRole('searchbox', { name: 'Name contains' }).fill('supplier 29');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('caption').filter({ hasText: 'Members, oldest first (10 match)' }).waitFor();
    // All joined at the same instant: oldest first is then by id, so compare the set.
    expect((await table.getByRole('rowheader').allTextContents()).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Supplier ${290 + i}`));
    // Nobody waits for vetting: the seeded suppliers are vetted and Wilting Wares suspended.
    await page.getByText('No supplier is waiting to be vetted.').waitFor();

    await settled();
    expect(Math.max(...answers.map((a) => a.edges))).toBe(50);
    expect(answers.filter((a) => a.operation === 'MembersPage').map((a) => a.edges)).toEqual([50, 50, 50, 10]);
    await page.close();
  }, 120_000);

  it('registers a member on its own page, referred by a partner found by name among 99', async () => {
    const { page } = await open();
    await page.goto(`${t.url}/#/members`);
    await page.getByRole('link', { name: 'Register a member' }).click();
    await page.getByRole('heading', { level: 1, name: 'Register a member' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Late Joiner');
    await page.getByRole('checkbox', { name: 'Client' }).check();
    await page.getByRole('searchbox', { name: 'Find the referring partner by name' }).fill('partner 042');
    const referrer = page.getByRole('combobox', { name: 'Referred by (optional)' });
    await referrer.locator('option', { hasText: 'Partner 042' }).waitFor({ state: 'attached' });
    expect(await referrer.locator('option').allTextContents()).toEqual(['Nobody', 'Partner 042']);
    await referrer.selectOption({ label: 'Partner 042' });
    await page.getByRole('button', { name: 'Register member' }).click();
    await page.getByRole('link', { name: 'Registered Late Joiner: open to issue a key or add capabilities.' }).waitFor();

    const found = (await t.ok(`{ members(search: "Late Joiner") { edges { node { roles referredBy { name } } } } }`, {}, op)).members.edges;
    expect(found).toEqual([{ node: { roles: ['CLIENT'], referredBy: { name: 'Partner 042' } } }]);
    await page.close();
  }, 120_000);
});
