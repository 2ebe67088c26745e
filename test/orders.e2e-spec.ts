import { eventually } from '@tandem/testing';
import { Q, buildCircles, createNetwork, issueKey, register, vet } from './support/community';
import { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const ORDER = `id status category region quantity deliverBy notes createdAt
  budget { ${MONEY} } price { ${MONEY} } offerExpiresAt
  client { id name } supplier { id name }`;
const FEES = `fees { price { ${MONEY} } clientFee { ${MONEY} } supplierFee { ${MONEY} } clientPays { ${MONEY} }
  supplierReceives { ${MONEY} } hubNet { ${MONEY} }
  partnerShares { partner { id name } referred { id name } amount { ${MONEY} } } }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { ${ORDER} } }`;
const GET = `query($id: ID!) { order(id: $id) { ${ORDER} ${FEES} } }`;
const LIST = `query($status: OrderStatus, $first: Int, $after: String) {
  orders(status: $status, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status } } }
}`;
const EVENTS = `query($id: ID!) { order(id: $id) { events { type actor supplier { id } at detail } routing { supplier { id } eligible reason } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { ${ORDER} ${FEES} } }`;
const DECLINE = `mutation($id: ID!, $reason: String) { declineOrder(orderId: $id, reason: $reason) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status supplier { id } price { ${MONEY} } } }`;
const CANCEL = `mutation($id: ID!, $reason: String) { cancelOrder(orderId: $id, reason: $reason) { id status supplier { id } price { ${MONEY} } offerExpiresAt } }`;
const REFUND = `mutation($id: ID!) { refundOrder(orderId: $id) { id status } }`;

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
let keySeq = 0;

describe('orders: intake, idempotency, fees, transitions and access', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  beforeAll(async () => {
    t = await TandemHarness.start('orders');
    c = await buildCircles(t);
    // Room for every order these tests place on one delivery day.
    await t.ok(Q.updateCapability, { id: c.basket.id, input: { dailyCapacity: 200 } }, c.op);
  });
  afterAll(() => t.stop());

  const basket = (over: Record<string, unknown> = {}) => ({
    category: 'gift-baskets',
    region: 'US-NY',
    quantity: 1,
    deliverBy: inDays(3),
    budget: { amount: '150', currency: 'USD' },
    idempotencyKey: `key-${++keySeq}`,
    ...over,
  });
  const place = async (key: string, over: Record<string, unknown> = {}) => (await t.ok(PLACE, { input: basket(over) }, key)).placeOrder;
  const count = async (key: string, status?: string) => (await t.ok(LIST, { status, first: 100 }, key)).orders.totalCount;
  const get = async (id: string, key = c.op) => (await t.ok(GET, { id }, key)).order;
  const offeredTo = (id: string, supplierId: string, op = c.op) =>
    eventually(async () => {
      const order = await get(id, op);
      return order.status === 'OFFERED' && order.supplier?.id === supplierId && order;
    });
  /** An order of the Circles client, offered to Basket & Co. */
  const offeredOrder = async (over: Record<string, unknown> = {}) => {
    const { id } = await place(c.keys.client, over);
    await offeredTo(id, c.supplier.id);
    return id;
  };

  describe('intake', () => {
    it('places an order for the client of the key, normalised, in ROUTING', async () => {
      const deliverBy = inDays(3);
      const order = await place(c.keys.client, {
        category: ' Gift-Baskets',
        region: 'us-ny ',
        quantity: 2,
        deliverBy,
        budget: { amount: '300.5', currency: 'usd' },
        notes: 'Welcome 🎁',
      });
      expect(order).toMatchObject({
        status: 'ROUTING',
        category: 'gift-baskets',
        region: 'US-NY',
        quantity: 2,
        deliverBy: new Date(deliverBy).toISOString(),
        notes: 'Welcome 🎁',
        budget: { amount: '300.50', currency: 'USD' },
        price: null,
        supplier: null,
        offerExpiresAt: null,
        client: { id: c.client.id, name: 'Grand Hotel' },
      });
      expect(order.createdAt).toMatch(ISO_UTC);
      // price = unit price x quantity, fixed when the offer is made
      expect((await offeredTo(order.id, c.supplier.id)).price).toEqual({ amount: '240.00', currency: 'USD' });
    });

    it("lets the operator place an order on a client's behalf", async () => {
      const order = await place(c.op, { clientId: c.client.id });
      expect(order.client.id).toBe(c.client.id);
      // The client sees it as its own.
      expect((await get(order.id, c.keys.client)).id).toBe(order.id);
    });

    it('refuses the callers who may not place this order, in the contract precedence', async () => {
      expect(await t.code(PLACE, { input: basket() }, c.keys.supplier)).toBe('FORBIDDEN');
      expect(await t.code(PLACE, { input: basket() }, c.keys.p1)).toBe('FORBIDDEN');
      expect(await t.code(PLACE, { input: basket() }, t.adminKey)).toBe('FORBIDDEN');
      expect(await t.code(PLACE, { input: basket() })).toBe('UNAUTHENTICATED');
      // A client naming another member, even with bad input, is FORBIDDEN first.
      expect(await t.code(PLACE, { input: basket({ clientId: c.florist.id, quantity: 0 }) }, c.keys.client)).toBe('FORBIDDEN');
      expect(await t.code(PLACE, { input: basket({ clientId: c.client.id }) }, c.keys.client)).toBeUndefined();
      // The operator: clientId required, must be a client of its network.
      expect(await t.code(PLACE, { input: basket() }, c.op)).toBe('BAD_USER_INPUT');
      expect(await t.code(PLACE, { input: basket({ clientId: c.supplier.id }) }, c.op)).toBe('BAD_USER_INPUT');
      expect(await t.code(PLACE, { input: basket({ clientId: NO_SUCH_ID, quantity: 0 }) }, c.op)).toBe('NOT_FOUND');
      expect(await t.code(PLACE, { input: basket({ clientId: 'not-a-uuid' }) }, c.op)).toBe('NOT_FOUND');
      const other = await createNetwork(t, 'Elsewhere');
      expect(await t.code(PLACE, { input: basket({ clientId: c.client.id }) }, other.op)).toBe('NOT_FOUND');
    });

    it.each([
      ['quantity 0', { quantity: 0 }],
      ['a negative quantity', { quantity: -3 }],
      ['a deadline in the past', { deliverBy: '2020-01-01T00:00:00Z' }],
      ['a deadline without an offset', { deliverBy: '2030-01-01T00:00:00' }],
      ['a zero budget', { budget: { amount: '0.00', currency: 'USD' } }],
      ['a negative budget', { budget: { amount: '-1', currency: 'USD' } }],
      ['too many decimals', { budget: { amount: '10.001', currency: 'USD' } }],
      ['an unknown currency', { budget: { amount: '10', currency: 'ABC' } }],
      ['a bad category', { category: 'gift baskets' }],
      ['an empty region', { region: '' }],
      ['notes over 2000 characters', { notes: 'x'.repeat(2001) }],
      ['an empty idempotency key', { idempotencyKey: '' }],
      ['an idempotency key over 200 characters', { idempotencyKey: 'k'.repeat(201) }],
    ])('rejects %s with BAD_USER_INPUT and stores nothing', async (_label, over) => {
      const before = await count(c.op);
      expect(await t.code(PLACE, { input: basket(over) }, c.keys.client)).toBe('BAD_USER_INPUT');
      expect(await count(c.op)).toBe(before);
    });
  });

  describe('idempotency', () => {
    it('makes one order of 10 concurrent requests with the same key and input', async () => {
      const input = basket({ idempotencyKey: 'concurrent-1' });
      const before = await count(c.op);
      const results = await Promise.all(Array.from({ length: 10 }, () => t.gql(PLACE, { input }, c.keys.client)));
      expect(results.every((r) => !r.errors)).toBe(true);
      expect(new Set(results.map((r) => r.data.placeOrder.id)).size).toBe(1);
      expect(await count(c.op)).toBe(before + 1);
    });

    it('compares values, not spellings, and answers other input with CONFLICT', async () => {
      const deliverBy = '2031-03-01T12:00:00Z';
      const first = await place(c.keys.client, { idempotencyKey: 'spelling', deliverBy, budget: { amount: '120', currency: 'USD' } });
      const same = await place(c.keys.client, {
        idempotencyKey: 'spelling',
        deliverBy: '2031-03-01T14:00:00.000+02:00',
        budget: { amount: '120.00', currency: 'usd' },
        category: 'GIFT-BASKETS',
        notes: null,
      });
      expect(same.id).toBe(first.id);
      // The operator acting for the same client hits the same key.
      expect((await place(c.op, { clientId: c.client.id, idempotencyKey: 'spelling', deliverBy, budget: { amount: '120', currency: 'USD' } })).id).toBe(
        first.id,
      );
      for (const change of [{ budget: { amount: '120.01', currency: 'USD' } }, { quantity: 2 }, { notes: 'hi' }, { region: 'US-NJ' }]) {
        expect(
          await t.code(
            PLACE,
            { input: basket({ idempotencyKey: 'spelling', deliverBy, budget: { amount: '120', currency: 'USD' }, ...change }) },
            c.keys.client,
          ),
        ).toBe('CONFLICT');
      }
      // Keys are scoped to the client: another client may use the same one.
      const other = await place(c.keys.florist, { idempotencyKey: 'spelling', deliverBy, budget: { amount: '120', currency: 'USD' } });
      expect(other.id).not.toBe(first.id);
    });
  });

  describe('the order life', () => {
    it('freezes the worked example of docs/api.md at acceptance', async () => {
      const id = await offeredOrder();
      const { acceptOrder } = await t.ok(ACCEPT, { id }, c.keys.supplier);
      const usd = (amount: string) => ({ amount, currency: 'USD' });
      expect(acceptOrder).toMatchObject({ status: 'ACCEPTED', supplier: { id: c.supplier.id }, price: usd('120.00') });
      expect(acceptOrder.offerExpiresAt).toMatch(ISO_UTC);
      expect(acceptOrder.fees).toEqual({
        price: usd('120.00'),
        clientFee: usd('12.00'),
        supplierFee: usd('6.00'),
        clientPays: usd('132.00'),
        supplierReceives: usd('114.00'),
        partnerShares: [
          { partner: { id: c.p1.id, name: 'Pia Partner' }, referred: { id: c.client.id, name: 'Grand Hotel' }, amount: usd('2.40') },
          { partner: { id: c.p2.id, name: 'Paul Partner' }, referred: { id: c.supplier.id, name: 'Basket & Co' }, amount: usd('1.20') },
        ],
        hubNet: usd('14.40'),
      });

      // Terms changed later apply to later acceptances only.
      await t.ok(Q.updateFeeSchedule, { input: { clientFeeBps: 2000 } }, c.op);
      try {
        expect((await get(id)).fees.clientFee).toEqual(usd('12.00'));
        const later = await offeredOrder();
        expect((await t.ok(ACCEPT, { id: later }, c.keys.supplier)).acceptOrder.fees.clientFee).toEqual(usd('24.00'));
      } finally {
        await t.ok(Q.updateFeeSchedule, { input: { clientFeeBps: 1000 } }, c.op);
      }
    });

    it('walks accept, fulfil and refund, and refuses every illegal transition with BAD_USER_INPUT', async () => {
      const id = await offeredOrder();
      expect(await t.code(FULFIL, { id }, c.keys.supplier)).toBe('BAD_USER_INPUT'); // not accepted yet
      expect(await t.code(REFUND, { id }, c.op)).toBe('BAD_USER_INPUT'); // not fulfilled
      await t.ok(ACCEPT, { id }, c.keys.supplier);
      expect(await t.code(ACCEPT, { id }, c.keys.supplier)).toBe('BAD_USER_INPUT');
      expect(await t.code(DECLINE, { id }, c.keys.supplier)).toBe('BAD_USER_INPUT');
      expect((await t.ok(FULFIL, { id }, c.keys.supplier)).fulfilOrder).toEqual({
        id,
        status: 'FULFILLED',
        supplier: { id: c.supplier.id },
        price: { amount: '120.00', currency: 'USD' },
      });
      expect(await t.code(FULFIL, { id }, c.keys.supplier)).toBe('BAD_USER_INPUT');
      expect(await t.code(CANCEL, { id }, c.keys.client)).toBe('BAD_USER_INPUT');
      expect(await t.code(REFUND, { id }, c.keys.client)).toBe('FORBIDDEN');
      expect((await t.ok(REFUND, { id }, c.op)).refundOrder.status).toBe('REFUNDED');
      expect(await t.code(REFUND, { id }, c.op)).toBe('BAD_USER_INPUT');
      expect(await t.code(CANCEL, { id }, c.op)).toBe('BAD_USER_INPUT');

      const { order } = await t.ok(EVENTS, { id }, c.op);
      expect(order.events.map((e: any) => e.type)).toEqual(['placed', 'offered', 'accepted', 'fulfilled', 'refunded']);
      expect(order.events.map((e: any) => e.actor)).toEqual([
        `member:${c.client.id}`,
        'system',
        `member:${c.supplier.id}`,
        `member:${c.supplier.id}`,
        expect.stringMatching(/^operator:/),
      ]);
      expect(order.events.every((e: any) => ISO_UTC.test(e.at))).toBe(true);
    });

    it('reads a bad reason only once the order is in reach: NOT_FOUND first, then BAD_USER_INPUT', async () => {
      const id = await offeredOrder();
      const tooLong = 'x'.repeat(2_001);
      expect(await t.code(DECLINE, { id, reason: tooLong }, c.keys.newcomer)).toBe('NOT_FOUND');
      expect(await t.code(DECLINE, { id: NO_SUCH_ID, reason: tooLong }, c.keys.supplier)).toBe('NOT_FOUND');
      expect(await t.code(CANCEL, { id: NO_SUCH_ID, reason: tooLong }, c.keys.client)).toBe('NOT_FOUND');
      expect(await t.code(CANCEL, { id, reason: tooLong }, c.keys.florist)).toBe('NOT_FOUND');
      expect(await t.code(DECLINE, { id, reason: tooLong }, c.keys.supplier)).toBe('BAD_USER_INPUT');
      expect(await t.code(CANCEL, { id, reason: tooLong }, c.keys.client)).toBe('BAD_USER_INPUT');
      // Refused, so nothing changed.
      expect((await get(id)).status).toBe('OFFERED');
    });

    it('refuses accept and decline by anyone but the supplier holding the offer', async () => {
      const id = await offeredOrder();
      expect(await t.code(ACCEPT, { id }, c.op)).toBe('FORBIDDEN');
      expect(await t.code(ACCEPT, { id }, c.keys.client)).toBe('FORBIDDEN');
      expect(await t.code(ACCEPT, { id }, c.keys.newcomer)).toBe('NOT_FOUND');
      expect(await t.code(DECLINE, { id }, c.keys.newcomer)).toBe('NOT_FOUND');
      expect(await t.code(ACCEPT, { id: NO_SUCH_ID }, c.keys.supplier)).toBe('NOT_FOUND');
      expect(await t.code(ACCEPT, { id: 'nope' }, c.keys.supplier)).toBe('NOT_FOUND');
      // The florist (client and supplier) sees its own order as client, but it is not offered to it.
      const { id: own } = await t.ok(PLACE, { input: basket() }, c.keys.florist).then((r) => r.placeOrder);
      await offeredTo(own, c.supplier.id);
      expect(await t.code(ACCEPT, { id: own }, c.keys.florist)).toBe('BAD_USER_INPUT');
      expect(await t.code(FULFIL, { id: own }, c.keys.florist)).toBe('BAD_USER_INPUT');
      expect((await get(id)).status).toBe('OFFERED');
    });

    it('cancels before fulfilment: an open offer is withdrawn and its capacity given back', async () => {
      const { op } = c;
      // A supplier with room for one order a day.
      const tiny = await register(t, op, 'Tiny Teas', ['SUPPLIER']);
      await vet(t, op, tiny.id);
      await t.ok(
        Q.addCapability,
        {
          input: {
            supplierId: tiny.id,
            category: 'tea',
            regions: ['US-NY'],
            dailyCapacity: 1,
            leadTimeHours: 1,
            unitPrice: { amount: '9.99', currency: 'USD' },
          },
        },
        op,
      );
      const tinyKey = await issueKey(t, op, tiny.id);
      const deliverBy = inDays(5);
      const tea = { category: 'tea', deliverBy };

      const { id: first } = await place(c.keys.client, tea);
      await offeredTo(first, tiny.id);
      const cancelled = (await t.ok(CANCEL, { id: first, reason: 'plans changed' }, c.keys.client)).cancelOrder;
      expect(cancelled).toEqual({ id: first, status: 'CANCELLED', supplier: null, price: null, offerExpiresAt: null });
      expect(await t.code(GET, { id: first }, tinyKey)).toBe('NOT_FOUND');
      expect(await t.code(CANCEL, { id: first }, c.keys.client)).toBe('BAD_USER_INPUT');

      // The unit came back: the next order of that day gets it, and the one after finds no capacity.
      const { id: second } = await place(c.keys.client, tea);
      await offeredTo(second, tiny.id);
      await t.ok(ACCEPT, { id: second }, tinyKey);
      const { id: third } = await place(c.keys.client, tea);
      expect((await eventually(async () => ['UNROUTABLE'].includes((await get(third)).status) && get(third))).status).toBe('UNROUTABLE');

      // Cancelling an accepted order keeps its supplier and price, frees the unit, and the supplier still sees it.
      const acceptedCancel = (await t.ok(CANCEL, { id: second }, c.op)).cancelOrder;
      expect(acceptedCancel).toMatchObject({ status: 'CANCELLED', supplier: { id: tiny.id }, price: { amount: '9.99', currency: 'USD' } });
      expect((await get(second, tinyKey)).status).toBe('CANCELLED');
      const { id: fourth } = await place(c.keys.client, tea);
      await offeredTo(fourth, tiny.id);

      const { order } = await t.ok(EVENTS, { id: first }, c.op);
      expect(order.events.map((e: any) => [e.type, e.supplier?.id ?? null, e.detail])).toEqual([
        ['placed', null, null],
        ['offered', tiny.id, null],
        ['withdrawn', tiny.id, 'order cancelled'],
        ['cancelled', null, 'plans changed'],
      ]);
      // A supplier may not cancel; the client may cancel an order still in ROUTING or UNROUTABLE.
      expect(await t.code(CANCEL, { id: fourth }, tinyKey)).toBe('FORBIDDEN');
      expect((await t.ok(CANCEL, { id: third }, c.keys.client)).cancelOrder.status).toBe('CANCELLED');
    });
  });

  describe('access', () => {
    it('shows each key only the orders it reaches', async () => {
      const net = await createNetwork(t, 'Access');
      const op = net.op;
      const buyer = await register(t, op, 'Buyer', ['CLIENT']);
      const other = await register(t, op, 'Other Buyer', ['CLIENT']);
      const partner = await register(t, op, 'Referrer', ['PARTNER']);
      const referred = await register(t, op, 'Referred Buyer', ['CLIENT'], partner.id);
      const s1 = await register(t, op, 'First Supplier', ['SUPPLIER']);
      const s2 = await register(t, op, 'Second Supplier', ['SUPPLIER']);
      for (const [s, price] of [
        [s1, '10'],
        [s2, '20'],
      ] as const) {
        await vet(t, op, s.id);
        await t.ok(
          Q.addCapability,
          {
            input: {
              supplierId: s.id,
              category: 'gift-baskets',
              regions: ['US-NY'],
              dailyCapacity: 50,
              leadTimeHours: 1,
              unitPrice: { amount: price, currency: 'USD' },
            },
          },
          op,
        );
      }
      const key = Object.fromEntries(
        await Promise.all(Object.entries({ buyer, other, partner, referred, s1, s2 }).map(async ([k, m]) => [k, await issueKey(t, op, m.id)])),
      );

      const a = await place(key.buyer);
      const b = await place(key.referred);
      await offeredTo(a.id, s1.id, op);
      await offeredTo(b.id, s1.id, op);
      await t.ok(DECLINE, { id: b.id }, key.s1);
      await offeredTo(b.id, s2.id, op);
      await t.ok(ACCEPT, { id: b.id }, key.s2);

      const listed = async (k: string) => (await t.ok(LIST, { first: 10 }, k)).orders.edges.map((e: any) => e.node.id);
      expect(await listed(op)).toEqual([a.id, b.id]);
      expect(await listed(key.buyer)).toEqual([a.id]);
      expect(await listed(key.referred)).toEqual([b.id]);
      expect(await listed(key.other)).toEqual([]);
      expect(await listed(key.partner)).toEqual([]);
      expect(await listed(key.s1)).toEqual([a.id]); // offered now; b was declined
      expect(await listed(key.s2)).toEqual([b.id]); // accepted
      expect(await listed(c.op)).not.toContain(a.id);

      expect(await t.code(GET, { id: a.id }, key.other)).toBe('NOT_FOUND');
      expect(await t.code(GET, { id: b.id }, key.partner)).toBe('NOT_FOUND');
      expect(await t.code(GET, { id: b.id }, key.s1)).toBe('NOT_FOUND');
      expect(await t.code(GET, { id: a.id }, c.op)).toBe('NOT_FOUND');
      expect(await t.code(GET, { id: a.id }, t.adminKey)).toBe('FORBIDDEN');
      expect(await t.code(CANCEL, { id: a.id }, key.other)).toBe('NOT_FOUND');
      expect(await t.code(REFUND, { id: b.id }, c.op)).toBe('NOT_FOUND');

      // The accepted supplier sees only what is about itself in the routing and the history.
      const { order } = await t.ok(EVENTS, { id: b.id }, key.s2);
      expect(order.routing).toEqual([{ supplier: { id: s2.id }, eligible: true, reason: null }]);
      expect(order.events.map((e: any) => [e.type, e.supplier?.id ?? null, e.actor, e.detail])).toEqual([
        ['placed', null, `member:${referred.id}`, null],
        ['offered', null, null, null],
        ['declined', null, null, null],
        ['offered', s2.id, 'system', null],
        ['accepted', s2.id, `member:${s2.id}`, null],
      ]);
      const seenByClient = (await t.ok(EVENTS, { id: b.id }, key.referred)).order;
      expect(seenByClient.routing.map((r: any) => [r.supplier.id, r.reason])).toEqual([
        [s1.id, 'DECLINED'],
        [s2.id, null],
      ]);
      expect(seenByClient.events[2]).toMatchObject({ type: 'declined', supplier: { id: s1.id }, actor: `member:${s1.id}` });
    });

    it('pages through orders oldest first, filtered by status', async () => {
      const net = await createNetwork(t, 'Pages');
      const buyer = await register(t, net.op, 'Pager', ['CLIENT']);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await place(net.op, { clientId: buyer.id })).id);
      await eventually(async () => (await count(net.op, 'UNROUTABLE')) === 5);

      const p1 = (await t.ok(LIST, { first: 2 }, net.op)).orders;
      expect(p1.edges.map((e: any) => e.node.id)).toEqual(ids.slice(0, 2));
      expect(p1).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true, endCursor: p1.edges[1].cursor } });
      const p2 = (await t.ok(LIST, { first: 2, after: p1.pageInfo.endCursor }, net.op)).orders;
      expect(p2.edges.map((e: any) => e.node.id)).toEqual(ids.slice(2, 4));
      const p3 = (await t.ok(LIST, { first: 2, after: p2.pageInfo.endCursor }, net.op)).orders;
      expect(p3.edges.map((e: any) => e.node.id)).toEqual(ids.slice(4));
      expect(p3.pageInfo.hasNextPage).toBe(false);

      expect(await count(net.op, 'OFFERED')).toBe(0);
      expect(await t.code(LIST, { first: 101 }, net.op)).toBe('BAD_USER_INPUT');
      expect(await t.code(LIST, { after: 'garbage' }, net.op)).toBe('BAD_USER_INPUT');
      expect(await t.code(LIST, { status: 'LOST' }, net.op)).toBe('BAD_USER_INPUT');
    });
  });
});

describe('orders: filters beyond the contract (date range, supplier, client)', () => {
  const FILTERED = `query($status: OrderStatus, $from: DateTime, $to: DateTime, $supplierId: ID, $clientId: ID, $first: Int, $after: String) {
    orders(status: $status, from: $from, to: $to, supplierId: $supplierId, clientId: $clientId, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id createdAt } }
    }
  }`;
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  /** Placed in this order: hotel→basket supplier, hotel→florist, florist (as a client)→basket supplier, hotel→nobody. */
  let o: { hotelBasket: any; hotelFlowers: any; floristBasket: any; hotelCandles: any };
  const order = (category: string, over: Record<string, unknown> = {}) => ({
    category,
    region: 'US-NY',
    quantity: 1,
    deliverBy: inDays(3),
    budget: { amount: '150', currency: 'USD' },
    idempotencyKey: `filter-key-${++keySeq}`,
    ...over,
  });
  const place = async (key: string, category: string) => (await t.ok(PLACE, { input: order(category) }, key)).placeOrder;
  const ids = async (vars: Record<string, unknown>, key: string) => {
    const page = (await t.ok(FILTERED, { first: 100, ...vars }, key)).orders;
    return { total: page.totalCount, ids: page.edges.map((e: any) => e.node.id) };
  };

  beforeAll(async () => {
    t = await TandemHarness.start('orders-filters');
    c = await buildCircles(t, 'Filters');
    o = {
      hotelBasket: await place(c.keys.client, 'gift-baskets'),
      hotelFlowers: await place(c.keys.client, 'flowers'),
      floristBasket: await place(c.keys.florist, 'gift-baskets'),
      hotelCandles: await place(c.keys.client, 'candles'),
    };
    // Routing runs in the worker: wait until each order has its supplier (or none).
    await eventually(async () => {
      const offered = await ids({ status: 'OFFERED' }, c.op);
      const unroutable = await ids({ status: 'UNROUTABLE' }, c.op);
      return offered.total === 3 && unroutable.total === 1;
    });
  });
  afterAll(() => t.stop());

  it('narrows the operator list by supplier, client, both, status and a date range', async () => {
    const { hotelBasket, hotelFlowers, floristBasket, hotelCandles } = o;
    expect(await ids({ supplierId: c.supplier.id }, c.op)).toEqual({ total: 2, ids: [hotelBasket.id, floristBasket.id] });
    expect(await ids({ clientId: c.client.id }, c.op)).toEqual({ total: 3, ids: [hotelBasket.id, hotelFlowers.id, hotelCandles.id] });
    expect(await ids({ clientId: c.client.id, supplierId: c.supplier.id }, c.op)).toEqual({ total: 1, ids: [hotelBasket.id] });
    expect(await ids({ status: 'OFFERED', supplierId: c.florist.id }, c.op)).toEqual({ total: 1, ids: [hotelFlowers.id] });
    // from is inclusive, to exclusive.
    expect(await ids({ from: hotelFlowers.createdAt, to: hotelCandles.createdAt }, c.op)).toEqual({ total: 2, ids: [hotelFlowers.id, floristBasket.id] });
    expect(await ids({ from: floristBasket.createdAt }, c.op)).toEqual({ total: 2, ids: [floristBasket.id, hotelCandles.id] });
    expect(await ids({ to: hotelFlowers.createdAt }, c.op)).toEqual({ total: 1, ids: [hotelBasket.id] });
    expect(await ids({ from: hotelCandles.createdAt, to: hotelCandles.createdAt }, c.op)).toEqual({ total: 0, ids: [] });
  });

  it('pages through a filtered list with its cursors', async () => {
    const p1 = (await t.ok(FILTERED, { supplierId: c.supplier.id, first: 1 }, c.op)).orders;
    expect(p1).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, edges: [{ node: { id: o.hotelBasket.id } }] });
    const p2 = (await t.ok(FILTERED, { supplierId: c.supplier.id, first: 1, after: p1.pageInfo.endCursor }, c.op)).orders;
    expect(p2).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false }, edges: [{ node: { id: o.floristBasket.id } }] });
  });

  it("never widens a member's reach: a filter on another member's orders finds none", async () => {
    // The hotel sees its own order with Basket & Co, not the florist's.
    expect(await ids({ supplierId: c.supplier.id }, c.keys.client)).toEqual({ total: 1, ids: [o.hotelBasket.id] });
    expect(await ids({ clientId: c.florist.id }, c.keys.client)).toEqual({ total: 0, ids: [] });
    // Basket & Co holds both basket offers: filtered by the hotel it sees one, and none of the florist's as a supplier.
    expect(await ids({ clientId: c.client.id }, c.keys.supplier)).toEqual({ total: 1, ids: [o.hotelBasket.id] });
    expect(await ids({ supplierId: c.florist.id }, c.keys.supplier)).toEqual({ total: 0, ids: [] });
    // The florist, client of one order and supplier of another, sees each through its own filter.
    expect(await ids({ clientId: c.florist.id }, c.keys.florist)).toEqual({ total: 1, ids: [o.floristBasket.id] });
    expect(await ids({ supplierId: c.florist.id }, c.keys.florist)).toEqual({ total: 1, ids: [o.hotelFlowers.id] });
    // A newcomer with no orders finds nothing whatever it names.
    expect(await ids({ supplierId: c.supplier.id, clientId: c.client.id }, c.keys.newcomer)).toEqual({ total: 0, ids: [] });
  });

  it('refuses bad dates, a range that ends before it starts and ids that are not ids', async () => {
    expect(await t.code(FILTERED, { from: 'yesterday' }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(FILTERED, { to: '2026-03-01T10:00:00' }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(FILTERED, { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(FILTERED, { supplierId: 'basket' }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(FILTERED, { clientId: 'hotel' }, c.keys.client)).toBe('BAD_USER_INPUT');
  });
});
