import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from '@tandem/testing';
import { Q, buildCircles } from './support/community';
import { ProcessFleet } from './support/process-fleet';
import { probeSql } from './support/processes';
import { TandemHarness } from './support/tandem';

const ORDER = 'id status supplier { id } price { amount currency }';
const OFFER_RECEIVED = `subscription { offerReceived { ${ORDER} } }`;
const ORDER_UPDATED = `subscription($orderId: ID) { orderUpdated(orderId: $orderId) { ${ORDER} } }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id status } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const DECLINE = `mutation($id: ID!) { declineOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;

/** The contract's figures (README "Webhooks and subscriptions"): an offer reaches offerReceived within 2 s, a revoked key's subscriptions end within 5 s. */
const OFFER_WITHIN_MS = 2_000;
const REVOKED_CLOSED_WITHIN_MS = 5_000;
/** How long a test waits for a pipeline step on a loaded machine before it says what is missing. */
const WAIT_MS = 15_000;

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let keySeq = 0;
const orderInput = (over: Record<string, unknown> = {}) => ({
  category: 'gift-baskets',
  region: 'US-NY',
  quantity: 1,
  deliverBy: inDays(3),
  budget: { amount: '150', currency: 'USD' },
  idempotencyKey: `sub-${process.pid}-${++keySeq}`,
  ...over,
});

interface Order {
  id: string;
  status: string;
  supplier: { id: string } | null;
  price: { amount: string; currency: string } | null;
}

/** One graphql-ws connection with one subscription, recording what arrives and how the socket ends. */
class Subscriber {
  readonly received: { at: number; order: Order }[] = [];
  readonly errors: unknown[] = [];
  connected = false;
  closed: { code: number; reason: string; at: number } | null = null;
  private readonly client: Client;

  /** `key` null sends a connection_init without one. */
  constructor(apiUrl: string, key: string | null, query: string, variables: Record<string, unknown> = {}) {
    this.client = createClient({
      url: `${apiUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: key === null ? {} : { authorization: `Bearer ${key}` },
      // A test sees the first close as it is: no reconnection hides it.
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: {
        connected: () => (this.connected = true),
        closed: (event) => {
          const e = event as { code: number; reason: string };
          this.closed ??= { code: e.code, reason: String(e.reason), at: Date.now() };
        },
      },
    });
    this.client.subscribe<Record<string, Order>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...result.errors);
          const order = result.data && Object.values(result.data)[0];
          if (order) this.received.push({ at: Date.now(), order });
        },
        error: (e) => this.errors.push(...(Array.isArray(e) ? e : [e])),
        complete: () => undefined,
      },
    );
  }

  orders(id?: string): Order[] {
    return this.received.map((r) => r.order).filter((o) => !id || o.id === id);
  }

  /** Waits for an order (with a status) and returns when it arrived. */
  arrival(id: string, status?: string): Promise<{ at: number; order: Order }> {
    return eventually(async () => this.received.find((r) => r.order.id === id && (!status || r.order.status === status)), WAIT_MS);
  }

  /** Waits for the socket to close; how it closed. */
  closing(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string; at: number }> {
    return eventually(async () => this.closed ?? undefined, timeoutMs);
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

describe('subscriptions over graphql-ws: offers, order updates, keys', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let supplierOffers: Subscriber;
  let floristOffers: Subscriber;
  let clientUpdates: Subscriber;
  const subscribers: Subscriber[] = [];
  const open = (key: string | null, query: string, variables?: Record<string, unknown>) => {
    const s = new Subscriber(t.url, key, query, variables);
    subscribers.push(s);
    return s;
  };
  const place = async (over: Record<string, unknown> = {}, key = c.keys.client): Promise<{ id: string }> =>
    (await t.ok(PLACE, { input: orderInput(over) }, key)).placeOrder;
  const flowers = { category: 'flowers', budget: { amount: '50', currency: 'USD' } };

  beforeAll(async () => {
    t = await TandemHarness.start('subscriptions');
    c = await buildCircles(t);
    await t.ok(Q.updateCapability, { id: c.basket.id, input: { dailyCapacity: 100 } }, c.op);
    supplierOffers = open(c.keys.supplier, OFFER_RECEIVED);
    floristOffers = open(c.keys.florist, OFFER_RECEIVED);
    clientUpdates = open(c.keys.client, ORDER_UPDATED);
    // graphql-ws acknowledges no subscribe: each subscription is known to be live once it has received an event.
    const basket = await place();
    const bouquet = await place(flowers);
    await supplierOffers.arrival(basket.id);
    await floristOffers.arrival(bouquet.id);
    await clientUpdates.arrival(bouquet.id, 'OFFERED');
    await t.ok(CANCEL, { id: basket.id }, c.keys.client);
    await t.ok(CANCEL, { id: bouquet.id }, c.keys.client);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    await t?.stop();
  });

  it('brings a supplier its offer as it is made, and another supplier nothing of it', async () => {
    const before = { supplier: supplierOffers.received.length, florist: floristOffers.received.length };
    const order = await place();
    const { at, order: got } = await supplierOffers.arrival(order.id);
    expect(got).toEqual({ id: order.id, status: 'OFFERED', supplier: { id: c.supplier.id }, price: { amount: '120.00', currency: 'USD' } });
    const [{ offeredAt }] = await probeSql<{ offeredAt: Date }>(
      t.config.databaseUrl,
      `SELECT offered_at AS "offeredAt" FROM offer_facts WHERE order_id = $1 AND supplier_id = $2`,
      [order.id, c.supplier.id],
    );
    const latencyMs = at - offeredAt.getTime();
    console.log(`offerReceived arrived ${latencyMs} ms after the offer was made (contract: within ${OFFER_WITHIN_MS} ms)`);
    expect(latencyMs).toBeLessThan(OFFER_WITHIN_MS);

    // The florist's stream takes events in the order this process heard them: once it holds an
    // offer made after the basket's offer arrived, it has passed over the basket's.
    const bouquet = await place(flowers);
    await floristOffers.arrival(bouquet.id);
    expect(floristOffers.received.slice(before.florist).map((r) => r.order.id)).toEqual([bouquet.id]);
    expect(supplierOffers.received.slice(before.supplier).map((r) => r.order.id)).toEqual([order.id]);
    expect([...supplierOffers.errors, ...floristOffers.errors]).toEqual([]);
    await t.ok(CANCEL, { id: order.id }, c.keys.client);
    await t.ok(CANCEL, { id: bouquet.id }, c.keys.client);
  }, 30_000);

  it('follows an order from ROUTING to FULFILLED with orderUpdated, for its client and for a subscription to that order', async () => {
    const order = await place();
    await clientUpdates.arrival(order.id, 'OFFERED');
    // Once the order is offered to it, the supplier may watch that order alone.
    const one = open(c.keys.supplier, ORDER_UPDATED, { orderId: order.id });
    await eventually(async () => one.connected, WAIT_MS);
    await t.ok(ACCEPT, { id: order.id }, c.keys.supplier);
    await clientUpdates.arrival(order.id, 'ACCEPTED');
    // Another order offered to the same supplier meanwhile: not the one it watches.
    const other = await place();
    await clientUpdates.arrival(other.id, 'OFFERED');
    await t.ok(FULFIL, { id: order.id }, c.keys.supplier);
    await clientUpdates.arrival(order.id, 'FULFILLED');
    expect(clientUpdates.orders(order.id).map((o) => o.status)).toEqual(['ROUTING', 'OFFERED', 'ACCEPTED', 'FULFILLED']);
    expect(clientUpdates.orders(order.id).at(-1)).toEqual({
      id: order.id,
      status: 'FULFILLED',
      supplier: { id: c.supplier.id },
      price: { amount: '120.00', currency: 'USD' },
    });
    // graphql-ws acknowledges no subscribe, so the acceptance may come before the subscription is live;
    // the fulfilment, announced after the other order's offer, proves it passed over that offer.
    await one.arrival(order.id, 'FULFILLED');
    expect(['ACCEPTED,FULFILLED', 'FULFILLED']).toContain(
      one
        .orders()
        .map((o) => o.status)
        .join(),
    );
    expect(one.orders().every((o) => o.id === order.id)).toBe(true);
    expect([...clientUpdates.errors, ...one.errors]).toEqual([]);
    await t.ok(CANCEL, { id: other.id }, c.keys.client);
  }, 30_000);

  it('ends a supplier’s view of an order it declined', async () => {
    const order = await place();
    await supplierOffers.arrival(order.id);
    const watching = open(c.keys.supplier, ORDER_UPDATED);
    const probe = await place();
    await eventually(async () => watching.orders(probe.id).some((o) => o.status === 'OFFERED'), WAIT_MS);
    await t.ok(DECLINE, { id: order.id }, c.keys.supplier);
    // The decline takes the order out of the supplier's reach: its client hears of the decline and of the
    // order turning unroutable; the supplier hears neither. Both listen in this process, so once the client
    // has both and the supplier then has a later event (its acceptance of the probe), the supplier passed over them.
    const heardByClient = () =>
      clientUpdates
        .orders(order.id)
        .map((o) => o.status)
        .sort();
    await eventually(async () => heardByClient().length === 4, WAIT_MS);
    expect(heardByClient()).toEqual(['OFFERED', 'ROUTING', 'ROUTING', 'UNROUTABLE']);
    await t.ok(ACCEPT, { id: probe.id }, c.keys.supplier);
    await watching.arrival(probe.id, 'ACCEPTED');
    expect(watching.orders(order.id)).toEqual([]);
    expect(watching.orders(probe.id).map((o) => o.status)).toEqual(['OFFERED', 'ACCEPTED']);
  }, 30_000);

  it('keeps a subscription when the API loses its LISTEN connection: the connection is reopened and events flow again', async () => {
    // A listener's connection takes its application name once its LISTEN has run (PgListener).
    const listenerPids = async () =>
      (
        await probeSql<{ pid: number }>(
          t.config.databaseUrl,
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'tandem-event-listener' AND datname = current_database()`,
        )
      ).map((r) => r.pid);
    // Probes retry: other suites on the machine may hold every PostgreSQL connection for a moment.
    const [before] = await eventually(async () => {
      const pids = await listenerPids();
      return pids.length === 1 && pids;
    }, WAIT_MS);
    await eventually(() => probeSql(t.config.databaseUrl, `SELECT pg_terminate_backend($1)`, [before]), WAIT_MS);
    await eventually(async () => {
      const now = await listenerPids();
      return now.length === 1 && now[0] !== before;
    }, WAIT_MS);
    const order = await place();
    const { order: got } = await supplierOffers.arrival(order.id);
    expect(got).toMatchObject({ id: order.id, status: 'OFFERED' });
    expect(supplierOffers.closed).toBeNull();
    await t.ok(CANCEL, { id: order.id }, c.keys.client);
  }, 30_000);

  it('closes with 4401 for a missing or unknown key, and keeps the order out of reach NOT_FOUND', async () => {
    const unknown = open('tnd_not-a-key', OFFER_RECEIVED);
    const none = open(null, OFFER_RECEIVED);
    expect((await unknown.closing()).code).toBe(4401);
    expect((await none.closing()).code).toBe(4401);
    expect(unknown.received).toEqual([]);

    // A client may not ask for offers, and the florist may not watch another client's order.
    const clientOffers = open(c.keys.client, OFFER_RECEIVED);
    await eventually(async () => clientOffers.errors.length > 0, WAIT_MS);
    expect(clientOffers.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' }, path: ['offerReceived'] })]);
    const order = await place();
    const theirs = open(c.keys.florist, ORDER_UPDATED, { orderId: order.id });
    await eventually(async () => theirs.errors.length > 0, WAIT_MS);
    expect(theirs.errors).toEqual([expect.objectContaining({ extensions: { code: 'NOT_FOUND' }, path: ['orderUpdated'] })]);
    await t.ok(CANCEL, { id: order.id }, c.keys.client);
  });

  it('closes a revoked key’s socket with 4401 within 5 seconds', async () => {
    const watching = open(c.keys.newcomer, OFFER_RECEIVED);
    const [key] = (await t.ok(Q.apiKeys, { memberId: c.newcomer.id }, c.op)).apiKeys;
    // The connection was accepted (connection_ack) before the key is revoked.
    await eventually(async () => watching.connected, WAIT_MS);
    expect(watching.closed).toBeNull();
    const revokedAt = Date.now();
    await t.ok(Q.revokeApiKey, { keyId: key.id }, c.op);
    const closed = await watching.closing(REVOKED_CLOSED_WITHIN_MS + WAIT_MS);
    console.log(`a revoked key's socket closed ${closed.at - revokedAt} ms after the revocation (contract: within ${REVOKED_CLOSED_WITHIN_MS} ms)`);
    expect(closed.code).toBe(4401);
    // The key is checked again every second: 5 s leaves room for a loaded machine.
    expect(closed.at - revokedAt).toBeLessThan(REVOKED_CLOSED_WITHIN_MS);
  }, 30_000);
});

describe('subscriptions across two API processes', () => {
  let fleet: ProcessFleet;
  let subscriber: Subscriber | undefined;

  beforeAll(async () => {
    fleet = await ProcessFleet.start('subscriptions-fleet', { apis: 2, workers: 1 });
  }, 180_000);
  afterAll(async () => {
    await subscriber?.close();
    await fleet?.stop();
  });

  it('brings an offer to a subscriber on one API when the order was placed through the other', async () => {
    const c = await buildCircles(fleet as unknown as TandemHarness, 'Fleet');
    const onFirst = (query: string, variables: Record<string, unknown>, key: string) => fleet.ok(query, variables, key, 0);
    const onSecond = (query: string, variables: Record<string, unknown>, key: string) => fleet.ok(query, variables, key, 1);
    await onFirst(Q.updateCapability, { id: c.basket.id, input: { dailyCapacity: 100 } }, c.op);
    subscriber = new Subscriber(fleet.apis[0].url, c.keys.supplier, OFFER_RECEIVED);
    // Live once it has received one offer; then the one the test is about.
    const first = (await onSecond(PLACE, { input: orderInput() }, c.keys.client)).placeOrder;
    await subscriber.arrival(first.id);
    const order = (await onSecond(PLACE, { input: orderInput() }, c.keys.client)).placeOrder;
    const { order: got } = await subscriber.arrival(order.id);
    expect(got).toEqual({ id: order.id, status: 'OFFERED', supplier: { id: c.supplier.id }, price: { amount: '120.00', currency: 'USD' } });
    expect(subscriber.orders().map((o) => o.id)).toEqual([first.id, order.id]);
    expect(subscriber.errors).toEqual([]);
  }, 60_000);
});
