import { Queue } from 'bullmq';
import { encodeScoreCursor } from '@tandem/common';
import { QUEUES, queueConnectionOptions } from '@tandem/jobs';
import { eventually } from '@tandem/testing';
import { buildCircles, createNetwork, register, vet } from './support/community';
import { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const NODE = `member { id name roles } score credibility reliability intimacy selfOrientation trust
  valueToMember { ${MONEY} } valueToHub { ${MONEY} } acquisitionCostPerOrder { ${MONEY} } atRisk signals`;
const LIST = `query($role: Role, $atRisk: Boolean, $search: String, $first: Int, $after: String) {
  relationships(role: $role, atRisk: $atRisk, search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${NODE} } }
  } }`;
const HEALTH = `query($id: ID!) { relationshipHealth(memberId: $id) { ${NODE} } }`;
const MEMBERS = `query($first: Int, $after: String) {
  members(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`;
const ORDERS = `query($first: Int) { orders(first: $first) { edges { cursor } } }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const UPDATE_SETTINGS = `mutation($input: HealthSettingsInput!) { updateHealthSettings(input: $input) { atRiskScore } }`;

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

interface Node {
  member: { id: string; name: string; roles: string[] };
  score: number;
  credibility: number;
  atRisk: boolean;
  valueToMember: { amount: string; currency: string };
  valueToHub: { amount: string; currency: string };
  [field: string]: unknown;
}
interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: Node }[];
}

/** Weakest first: score ascending, then member id. */
const weakestFirst = (a: Node, b: Node) => a.score - b.score || (a.member.id < b.member.id ? -1 : a.member.id > b.member.id ? 1 : 0);

describe('the relationships list (operator)', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let healthQueue: Queue;

  const list = async (vars: Record<string, unknown> = {}, key = c.op): Promise<Connection> => (await t.ok(LIST, vars, key)).relationships;
  const live = async (id: string): Promise<Node> => (await t.ok(HEALTH, { id }, c.op)).relationshipHealth;
  const allMembers = [] as string[];
  /** Every member's health computed now, in the list's order. */
  const liveList = async () => (await Promise.all(allMembers.map(live))).sort(weakestFirst);
  /** Asks the worker for a refresh now (rather than waiting for its 20 s schedule) and waits until the list shows `until`. */
  const refreshUntil = async <T>(until: () => Promise<T | false>, job = 'refresh-relationships', data: Record<string, unknown> = {}) => {
    await healthQueue.add(job, data);
    return eventually(until, 20_000, 200);
  };

  beforeAll(async () => {
    t = await TandemHarness.start('relationships');
    c = await buildCircles(t);
    healthQueue = new Queue(QUEUES.health, queueConnectionOptions(t.config));
    allMembers.push(c.p1.id, c.p2.id, c.client.id, c.supplier.id, c.florist.id, c.newcomer.id);
    // Another network's members never show.
    const other = await createNetwork(t, 'Elsewhere');
    await register(t, other.op, 'Far Away', ['CLIENT']);
    await refreshUntil(async () => (await list()).totalCount === 6);
  });
  afterAll(async () => {
    await healthQueue?.close();
    await t.stop();
  });

  it('is for the operator key only', async () => {
    for (const key of [c.keys.client, c.keys.supplier, c.keys.p1, c.keys.florist, t.adminKey]) {
      expect(await t.code(LIST, {}, key)).toBe('FORBIDDEN');
    }
    expect(await t.code(LIST, {})).toBe('UNAUTHENTICATED');
  });

  it("lists every member's RelationshipHealth of the network, weakest first, as relationshipHealth computes it", async () => {
    const page = await list({ first: 100 });
    expect(page.totalCount).toBe(6);
    expect(page.edges.map((e) => e.node)).toEqual(await liveList());
    // No activity yet: every score is 50, so the member id decides.
    expect(page.edges.map((e) => e.node.score)).toEqual([50, 50, 50, 50, 50, 50]);
    expect(page.edges.map((e) => e.node.member.id)).toEqual([...allMembers].sort());
  });

  it('filters by role and by atRisk', async () => {
    const suppliers = await list({ role: 'SUPPLIER' });
    expect(suppliers.totalCount).toBe(3);
    expect(suppliers.edges.map((e) => e.node.member.id)).toEqual([c.supplier.id, c.florist.id, c.newcomer.id].sort());
    const partners = await list({ role: 'PARTNER' });
    expect(partners.edges.map((e) => e.node.member.id)).toEqual([c.p1.id, c.p2.id].sort());
    expect((await list({ role: 'CLIENT' })).edges.map((e) => e.node.member.id)).toEqual([c.client.id, c.florist.id].sort());
    expect(await list({ atRisk: true })).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect((await list({ atRisk: false })).totalCount).toBe(6);
    expect(await t.code(LIST, { role: 'OPERATOR' }, c.op)).toBe('BAD_USER_INPUT');
  });

  it('searches by any part of the name, any case, within the network, with the other filters and paging', async () => {
    const whole = (await list({ first: 100 })).edges.map((e) => e.node);
    const ids = (page: Connection) => page.edges.map((e) => e.node.member.id);
    // 'Basket & Co' and 'New Baskets'; the list's order holds among the matches.
    const baskets = await list({ search: '  bASKet ' });
    expect(baskets.totalCount).toBe(2);
    expect(ids(baskets)).toEqual(whole.filter((n) => [c.supplier.id, c.newcomer.id].includes(n.member.id)).map((n) => n.member.id));
    expect(baskets.edges.map((e) => e.node)).toEqual(whole.filter((n) => /basket/i.test(n.member.name)));
    expect(ids(await list({ search: 'partner', role: 'PARTNER' }))).toEqual([c.p1.id, c.p2.id].sort());
    expect(ids(await list({ search: 'partner', role: 'CLIENT' }))).toEqual([]);
    expect(ids(await list({ search: 'fleur', atRisk: false }))).toEqual([c.florist.id]);
    // Another network's 'Far Away' never shows; % and _ are matched as themselves, not as wildcards.
    for (const search of ['far away', '%', 'B_sket']) expect([search, (await list({ search })).totalCount]).toEqual([search, 0]);
    // Blank is no search.
    expect((await list({ search: '   ' })).totalCount).toBe(6);
    const first = await list({ search: 'basket', first: 1 });
    expect([first.totalCount, first.pageInfo.hasNextPage, first.pageInfo.hasPreviousPage]).toEqual([2, true, false]);
    const second = await list({ search: 'basket', first: 1, after: first.pageInfo.endCursor });
    expect([ids(second), second.pageInfo.hasNextPage, second.pageInfo.hasPreviousPage]).toEqual([ids(baskets).slice(1), false, true]);
    expect(await t.code(LIST, { search: 'x'.repeat(201) }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(LIST, { search: 'basket' }, c.keys.client)).toBe('FORBIDDEN');
  });

  it('pages with the whole Relay PageInfo: startCursor, endCursor, hasNextPage, hasPreviousPage', async () => {
    const whole = (await list({ first: 100 })).edges;
    const p1 = await list({ first: 2 });
    expect(p1.edges).toEqual(whole.slice(0, 2));
    expect(p1.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: whole[0].cursor, endCursor: whole[1].cursor });
    const p2 = await list({ first: 2, after: p1.pageInfo.endCursor });
    expect(p2.edges).toEqual(whole.slice(2, 4));
    expect(p2.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: whole[2].cursor, endCursor: whole[3].cursor });
    const p3 = await list({ first: 2, after: p2.pageInfo.endCursor });
    expect(p3.edges).toEqual(whole.slice(4, 6));
    expect(p3.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: whole[4].cursor, endCursor: whole[5].cursor });
    // After the last row: no edges, null cursors, and `after` pointed past six rows.
    expect(await list({ after: p3.pageInfo.endCursor })).toEqual({
      totalCount: 6,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
    // A position before every row (score 0, the smallest id): `after` pointed past none.
    const beforeAll = await list({ role: 'SUPPLIER', after: encodeScoreCursor({ score: 0, id: '00000000-0000-4000-8000-000000000000' }) });
    expect(beforeAll.edges.map((e) => e.node.member.id)).toEqual((await list({ role: 'SUPPLIER' })).edges.map((e) => e.node.member.id));
    expect(beforeAll.pageInfo.hasPreviousPage).toBe(false);
    // The filtered list's own last cursor: one row lies before it.
    const lastSupplier = (await list({ role: 'SUPPLIER' })).pageInfo.endCursor;
    expect((await list({ role: 'SUPPLIER', after: lastSupplier })).pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    // first: 0 counts without edges.
    expect((await list({ first: 0 })).pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('refuses a cursor it did not give and a page size out of range, as BAD_USER_INPUT', async () => {
    const orderCursor = async () => {
      await t.ok(
        PLACE,
        {
          input: {
            category: 'nothing-here',
            region: 'US-NY',
            quantity: 1,
            deliverBy: inDays(3),
            budget: { amount: '10', currency: 'USD' },
            idempotencyKey: 'rel-cursor',
          },
        },
        c.keys.client,
      );
      return (await t.ok(ORDERS, { first: 1 }, c.op)).orders.edges[0].cursor as string;
    };
    for (const after of ['not-a-cursor', Buffer.from('101.0|3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b').toString('base64url'), await orderCursor()]) {
      const r = await t.gql(LIST, { after }, c.op);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    }
    expect(await t.code(LIST, { first: 101 }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(LIST, { first: -1 }, c.op)).toBe('BAD_USER_INPUT');
  });

  it('follows new orders and postings once the worker refreshes it', async () => {
    const { placeOrder } = await t.ok(
      PLACE,
      {
        input: {
          category: 'gift-baskets',
          region: 'US-NY',
          quantity: 1,
          deliverBy: inDays(3),
          budget: { amount: '150', currency: 'USD' },
          idempotencyKey: 'rel-1',
        },
      },
      c.keys.client,
    );
    await eventually(async () => {
      const o = (await t.ok(ORDER, { id: placeOrder.id }, c.op)).order;
      return o.status === 'OFFERED' && o.supplier?.id === c.supplier.id;
    });
    await t.ok(ACCEPT, { id: placeOrder.id }, c.keys.supplier);
    await t.ok(FULFIL, { id: placeOrder.id }, c.keys.supplier);
    // The postings land in the background: wait for them in the exact read first.
    await eventually(async () => (await live(c.supplier.id)).valueToMember.amount === '114.00', 5000);
    const row = (page: Connection, id: string) => page.edges.find((e) => e.node.member.id === id)?.node;
    const page = await refreshUntil(async () => {
      const p = await list({ first: 100 });
      return row(p, c.supplier.id)?.valueToMember?.amount === '114.00' && row(p, c.p1.id)?.valueToMember?.amount === '2.40' && p;
    });
    // docs/api.md's worked example: the supplier keeps 114.00 and the hub 4.80 after P2's 1.20; the client paid 120.00 of business, the hub kept 9.60 after P1's 2.40.
    expect(row(page, c.supplier.id)).toMatchObject({ valueToMember: { amount: '114.00', currency: 'USD' }, valueToHub: { amount: '4.80', currency: 'USD' } });
    expect(row(page, c.client.id)).toMatchObject({ valueToMember: { amount: '120.00', currency: 'USD' }, valueToHub: { amount: '9.60', currency: 'USD' } });
    expect(row(page, c.p2.id)).toMatchObject({ valueToMember: { amount: '1.20', currency: 'USD' } });
    // Every row is what relationshipHealth says now, and the order is by those scores.
    expect(page.edges.map((e) => e.node)).toEqual(await liveList());
    expect(page.edges.map((e) => e.node.score)).toEqual([...page.edges.map((e) => e.node.score)].sort((a, b) => a - b));
  });

  it('follows a vetting change, which no order or posting reveals, on the next refresh', async () => {
    const before = await live(c.supplier.id);
    await vet(t, c.op, c.supplier.id, 'SUSPENDED');
    const expected = await live(c.supplier.id);
    expect(expected.credibility).toBeLessThan(before.credibility);
    const row = await refreshUntil(async () => {
      const node = (await list({ role: 'SUPPLIER' })).edges.find((e) => e.node.member.id === c.supplier.id)?.node;
      return node?.credibility === expected.credibility && node;
    });
    expect(row).toEqual(expected);
  });

  it('takes every member again from the health snapshot, at-risk flags included', async () => {
    // A threshold just under the best score puts every other member at risk; a settings change reaches the list through the snapshot job.
    const best = Math.max(...(await liveList()).map((n) => n.score));
    await t.ok(UPDATE_SETTINGS, { input: { atRiskScore: Math.floor(best) } }, c.op);
    const expected = await liveList();
    const atRisk = expected.filter((n) => n.atRisk);
    expect(atRisk.length).toBeGreaterThan(0);
    expect(atRisk.length).toBeLessThan(6);
    const risky = await refreshUntil(
      async () => {
        const p = await list({ atRisk: true });
        return p.totalCount === atRisk.length && p;
      },
      'snapshot-health',
      { networkId: c.networkId },
    );
    expect(risky.edges.map((e) => e.node)).toEqual(atRisk);
    expect((await list({ atRisk: false })).edges.map((e) => e.node)).toEqual(expected.filter((n) => !n.atRisk));
    expect((await list({ atRisk: true, role: 'SUPPLIER' })).edges.map((e) => e.node)).toEqual(atRisk.filter((n) => n.member.roles.includes('SUPPLIER')));
  });
});

describe('PageInfo on the other lists', () => {
  let t: TandemHarness;
  beforeAll(async () => {
    t = await TandemHarness.start('page-info', { worker: false });
  });
  afterAll(() => t.stop());

  it('gives members startCursor and hasPreviousPage', async () => {
    const net = await createNetwork(t, 'Pages');
    for (const name of ['A', 'B', 'C']) await register(t, net.op, name, ['CLIENT']);
    const p1 = (await t.ok(MEMBERS, { first: 2 }, net.op)).members as Connection;
    expect(p1.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: p1.edges[0].cursor, endCursor: p1.edges[1].cursor });
    const p2 = (await t.ok(MEMBERS, { first: 2, after: p1.pageInfo.endCursor }, net.op)).members as Connection;
    expect(p2.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: p2.edges[0].cursor, endCursor: p2.edges[0].cursor });
    const past = (await t.ok(MEMBERS, { after: p2.pageInfo.endCursor }, net.op)).members as Connection;
    expect(past).toEqual({ totalCount: 3, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
  });
});
