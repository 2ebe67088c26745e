import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Caller } from '@tandem/auth';
import { RoutingTestApp, startRoutingApp } from '../testing/routing-test-app.test-support';
import { OrderListFilter, OrderQueryService } from './order-query.service';
import { OrderLoader } from './order.loader';

/**
 * A member's orders list is read as its two sides (client, supplier), each an ordered walk of its
 * own index: the pages must hold exactly the orders of the reach, each once, oldest first.
 */
describe("a member's orders list against PostgreSQL", () => {
  let app: INestApplicationContext;
  let t: RoutingTestApp;
  const networkId = randomUUID();
  const otherNetwork = randomUUID();
  const both = randomUUID(); // client and supplier
  const other = randomUUID();
  const stranger = randomUUID();
  let seq = 0;

  beforeAll(async () => {
    t = await startRoutingApp('order-query-int');
    app = t.app;
    for (const id of [networkId, otherNetwork]) {
      await t.insertNetwork(id);
    }
    await ds().query(
      `INSERT INTO members (id, network_id, name, roles, term_overrides, joined_at)
       VALUES ($1, $4, 'Both', '{CLIENT,SUPPLIER}', '{}', now()), ($2, $4, 'Other', '{CLIENT,SUPPLIER}', '{}', now()),
              ($3, $5, 'Stranger', '{CLIENT}', '{}', now())`,
      [both, other, stranger, networkId, otherNetwork],
    );
    // Times interleave the sides, and two orders share a created_at (the id breaks the tie).
    await order(both, null, 'ROUTING', 10, true); // as client
    await order(other, both, 'FULFILLED', 9, true); // as supplier, accepted
    await order(other, both, 'OFFERED', 8, true); // as supplier, offered
    await order(other, both, 'ROUTING', 7, true); // declined earlier: supplier_id set, never accepted, not in reach
    await order(both, both, 'FULFILLED', 6, true); // its own client and supplier: listed once
    await order(both, other, 'ACCEPTED', 5, true); // as client
    await order(other, null, 'ROUTING', 5, true); // not its order
    await order(other, both, 'ACCEPTED', 5, true); // same time as the two above
    await order(other, other, 'FULFILLED', 4, true); // not its order
    await order(both, other, 'CANCELLED', 3, false); // as client, cancelled
    await order(other, both, 'FULFILLED', 2, true);
    await order(both, null, 'ROUTING', 1, true);
    await ds().query(
      `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                           idempotency_key, input_fingerprint, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'gift-baskets', 'NYC', 1, now() + interval '1 day', 20000, 'USD', 'ROUTING', 'stranger', 'f', now(), now())`,
      [otherNetwork, stranger],
    );
  });

  afterAll(() => t.close());

  const ds = () => app.get(DataSource);
  const list = () => app.get(OrderQueryService);
  async function order(clientId: string, supplierId: string | null, status: string, minutesAgo: number, accepted: boolean): Promise<void> {
    const acceptedAt = supplierId && accepted && ['ACCEPTED', 'FULFILLED'].includes(status) ? new Date(Date.now() - minutesAgo * 60_000) : null;
    await ds().query(
      `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                           supplier_id, price_minor, idempotency_key, input_fingerprint, accepted_at, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'gift-baskets', 'NYC', 1, now() + interval '1 day', 20000, 'USD', $3, $4, 10000, $5, 'f', $6,
               date_trunc('minute', now()) - make_interval(mins => $7), now())`,
      [networkId, clientId, status, supplierId, `k-${seq++}`, acceptedAt, minutesAgo],
    );
  }

  /** What the member reaches by the policy's own definition, oldest first. */
  const reachOf = async (memberId: string, status?: string): Promise<string[]> =>
    (
      await ds().query(
        `SELECT id FROM orders WHERE network_id = $1 AND (client_id = $2 OR (supplier_id = $2 AND (status = 'OFFERED' OR accepted_at IS NOT NULL)))
           AND ($3::text IS NULL OR status = $3) ORDER BY created_at, id`,
        [networkId, memberId, status ?? null],
      )
    ).map((r: { id: string }) => r.id);

  /** Every page of the list, `first` at a time, following endCursor. */
  async function allPages(caller: Caller, filter: OrderListFilter, first: number): Promise<{ ids: string[]; totals: number[] }> {
    const ids: string[] = [];
    const totals: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page = await list().list(caller, { ...filter, first, after });
      ids.push(...page.edges.map((e) => e.node.id));
      totals.push(page.totalCount);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { ids, totals };
  }

  const member = (memberId: string): Caller => ({ kind: 'MEMBER', networkId, memberId, roles: ['CLIENT', 'SUPPLIER'], keyId: 'k' });

  it.each([1, 2, 3, 20])('pages a member as client and supplier through its whole reach, each order once, oldest first (%i a page)', async (first) => {
    const expected = await reachOf(both);
    expect(expected).toHaveLength(9);
    const { ids, totals } = await allPages(member(both), {}, first);
    expect(ids).toEqual(expected);
    expect(new Set(totals)).toEqual(new Set([9]));
  });

  it('narrows each side by the filters (status, supplierId)', async () => {
    expect((await allPages(member(both), { status: 'FULFILLED' }, 1)).ids).toEqual(await reachOf(both, 'FULFILLED'));
    const supplied = (await allPages(member(both), { supplierId: other }, 2)).ids;
    const expected = (
      await ds().query(`SELECT id FROM orders WHERE network_id = $1 AND client_id = $2 AND supplier_id = $3 ORDER BY created_at, id`, [networkId, both, other])
    ).map((r: { id: string }) => r.id);
    expect(supplied).toEqual(expected);
    expect(supplied).toHaveLength(2);
  });

  it('gives the other member its own reach and the operator the whole network, unchanged', async () => {
    expect((await allPages(member(other), {}, 2)).ids).toEqual(await reachOf(other));
    const all = (await ds().query(`SELECT id FROM orders WHERE network_id = $1 ORDER BY created_at, id`, [networkId])).map((r: { id: string }) => r.id);
    expect((await allPages({ kind: 'OPERATOR', networkId, keyId: 'k' }, {}, 5)).ids).toEqual(all);
  });

  it('gives a member of another network none of these orders', async () => {
    const page = await list().list({ kind: 'MEMBER', networkId, memberId: stranger, roles: ['CLIENT'], keyId: 'k' }, { first: 20 });
    expect(page.edges).toEqual([]);
    expect(page.totalCount).toBe(0);
  });

  it('loads the orders of a list in one read, each within the caller reach (OrderLoader)', async () => {
    const rows: { id: string; client_id: string; supplier_id: string | null; status: string }[] = await ds().query(
      `SELECT id, client_id, supplier_id, status FROM orders WHERE network_id = $1 ORDER BY created_at, id`,
      [networkId],
    );
    const reach = new Set(await reachOf(both));
    const missing = randomUUID();
    const reads = jest.spyOn(list(), 'findByIds');
    const ctx = {};
    const loaded = await Promise.allSettled([
      ...rows.map((r) => app.get(OrderLoader).load(ctx, member(both), r.id)),
      app.get(OrderLoader).load(ctx, member(both), missing),
    ]);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    const outcome = (p: PromiseSettledResult<{ id: string }>) => (p.status === 'fulfilled' ? p.value.id : (p.reason as { code?: string }).code);
    expect(loaded.map(outcome)).toEqual([...rows.map((r) => (reach.has(r.id) ? r.id : 'NOT_FOUND')), 'NOT_FOUND']);
    expect(loaded.filter((p) => p.status === 'fulfilled')).toHaveLength(9);
    // The operator reaches every order of its network; a member of another network none.
    const operator: Caller = { kind: 'OPERATOR', networkId, keyId: 'k' };
    expect((await app.get(OrderLoader).load({}, operator, rows[0].id)).id).toBe(rows[0].id);
    const strangerCaller: Caller = { kind: 'MEMBER', networkId: otherNetwork, memberId: stranger, roles: ['CLIENT'], keyId: 'k' };
    await expect(app.get(OrderLoader).load({}, strangerCaller, rows[0].id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
