import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NetworkCaller } from '@tandem/auth';
import { SimulatedClock } from '@tandem/common';
import { DomainEvent, OutboxRepository, OutboxService } from '@tandem/jobs';
import { RoutingTestApp, startRoutingApp } from '../testing/routing-test-app.test-support';
import { OrderEntity } from './order.entity';
import { OrderIntakeService } from './order-intake.service';

/** placeOrder answers the order without reading it back: what it answers must be the row as stored. */
describe('order intake against PostgreSQL', () => {
  let app: INestApplicationContext;
  let t: RoutingTestApp;
  let networkId: string;
  let clientId: string;
  let op: NetworkCaller;

  beforeAll(async () => {
    t = await startRoutingApp('order-intake-int');
    app = t.app;
    networkId = randomUUID();
    clientId = randomUUID();
    await t.insertNetwork(networkId);
    await ds().query(`INSERT INTO members (id, network_id, name, roles, term_overrides, joined_at) VALUES ($1, $2, 'Client', '{CLIENT}', '{}', now())`, [
      clientId,
      networkId,
    ]);
    op = { kind: 'OPERATOR', networkId, keyId: 'test-key' };
  });

  afterAll(() => t.close());

  const ds = () => app.get(DataSource);
  const intake = () => app.get(OrderIntakeService);
  const input = (over: Record<string, unknown> = {}) => ({
    clientId,
    category: ' Gift-Baskets ',
    region: 'us-ny',
    quantity: 3,
    deliverBy: new Date(Date.now() + 3 * 86_400_000),
    budget: { amount: '150.5', currency: 'usd' },
    idempotencyKey: `k-${randomUUID()}`,
    notes: 'ring twice',
    ...over,
  });

  it('answers exactly the row it stored, in ROUTING, with its routing job and placed event in the same transaction', async () => {
    const placed = await intake().place(op, input());
    const stored = await ds().manager.findOneByOrFail(OrderEntity, { id: placed.id });
    expect(placed).toEqual(stored);
    expect(placed).toBeInstanceOf(OrderEntity);
    expect(placed).toMatchObject({
      status: 'ROUTING',
      category: 'gift-baskets',
      region: 'US-NY',
      quantity: 3,
      budgetMinor: 15050n,
      currency: 'USD',
      notes: 'ring twice',
      routing: [],
      supplierId: null,
    });
    const jobs = await ds().query(`SELECT name FROM outbox WHERE payload->>'orderId' = $1 AND name = 'route-order'`, [placed.id]);
    expect(jobs).toHaveLength(1);
    const events = await ds().query(`SELECT type FROM order_events WHERE order_id = $1`, [placed.id]);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['placed']);
  });

  it('answers the same stored order for a replay of its key, without notes too, and CONFLICT for other input', async () => {
    const first = input({ notes: undefined });
    const placed = await intake().place(op, first);
    const again = await intake().place(op, { ...first, budget: { amount: '150.50', currency: 'USD' } });
    expect(again).toEqual(await ds().manager.findOneByOrFail(OrderEntity, { id: placed.id }));
    expect(again).toEqual(placed);
    await expect(intake().place(op, { ...first, quantity: 4 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(Number((await ds().query(`SELECT count(*) AS n FROM orders WHERE idempotency_key = $1`, [first.idempotencyKey]))[0].n)).toBe(1);
  });

  it('stores one order for racing requests with one key, and each answers it', async () => {
    const same = input();
    const answers = await Promise.all([1, 2, 3, 4].map(() => intake().place(op, same)));
    const stored = await ds().manager.findOneByOrFail(OrderEntity, { clientId, idempotencyKey: same.idempotencyKey });
    for (const a of answers) expect(a).toEqual(stored);
    expect(await eventsOf(stored.id)).toHaveLength(1);
    expect((await jobsOf(stored.id)).map((j) => j.name)).toEqual(['publish-event', 'route-order']);
  });

  /** The outbox rows of an order: its jobs, and its published events. */
  const jobsOf = async (orderId: string) =>
    (await ds().query(`SELECT name, queue, payload, trace_context FROM outbox WHERE payload->>'orderId' = $1 OR payload->'data'->>'orderId' = $1 ORDER BY id`, [
      orderId,
    ])) as { name: string; queue: string; payload: Record<string, unknown>; trace_context: unknown }[];
  const eventsOf = async (orderId: string) =>
    (await ds().query(`SELECT type, actor, supplier_id, detail, created_at FROM order_events WHERE order_id = $1 ORDER BY id`, [orderId])) as {
      type: string;
      actor: string;
      supplier_id: string | null;
      detail: unknown;
      created_at: Date;
    }[];

  it('stores orders placed in the same turn in one statement, each with its own event and jobs; a bad one fails alone', async () => {
    // Client keys: an operator's order first reads the client's roles, so its turn is that read's answer.
    const client: NetworkCaller = { kind: 'MEMBER', networkId, memberId: clientId, roles: ['CLIENT'], keyId: 'client-key' };
    const own = (over: Record<string, unknown> = {}) => input({ clientId: undefined, ...over });
    const statements = jest.spyOn(OutboxRepository, 'insertWithChanges');
    try {
      const inputs = [1, 2, 3, 4, 5].map((n) => own({ quantity: n }));
      const answers = await Promise.all(inputs.map((i) => intake().place(client, i)));
      expect(statements).toHaveBeenCalledTimes(1);
      for (const [n, placed] of answers.entries()) {
        expect(placed).toEqual(await ds().manager.findOneByOrFail(OrderEntity, { clientId, idempotencyKey: inputs[n].idempotencyKey }));
        expect(placed.quantity).toBe(n + 1);
        expect((await eventsOf(placed.id)).map((e) => e.type)).toEqual(['placed']);
        const jobs = await jobsOf(placed.id);
        expect(jobs.map((j) => [j.name, (j.payload.orderId ?? (j.payload.data as { orderId: string }).orderId) === placed.id])).toEqual([
          ['publish-event', true],
          ['route-order', true],
        ]);
      }

      // A key of a member that does not exist passes every check but the foreign key: the batch's statement
      // fails, its orders are stored again one at a time, and only that request fails.
      statements.mockClear();
      const ghost: NetworkCaller = { kind: 'MEMBER', networkId, memberId: randomUUID(), roles: ['CLIENT'], keyId: 'ghost-key' };
      const [good, bad, alsoGood] = await Promise.allSettled([intake().place(client, own()), intake().place(ghost, own()), intake().place(client, own())]);
      expect([good.status, bad.status, alsoGood.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((bad as PromiseRejectedResult).reason.message).toMatch(/foreign key/);
      expect(statements).toHaveBeenCalledTimes(4);
      for (const r of [good, alsoGood]) {
        const placed = (r as PromiseFulfilledResult<OrderEntity>).value;
        expect(placed).toEqual(await ds().manager.findOneByOrFail(OrderEntity, { id: placed.id }));
        expect((await jobsOf(placed.id)).map((j) => j.name)).toEqual(['publish-event', 'route-order']);
      }

      // A replay beside a new order in one statement: the replay writes no job, the new order its own.
      const earlier = own();
      const first = await intake().place(client, earlier);
      statements.mockClear();
      const [replayed, fresh] = await Promise.all([intake().place(client, earlier), intake().place(client, own())]);
      expect(statements).toHaveBeenCalledTimes(1);
      expect(replayed).toEqual(first);
      expect((await jobsOf(first.id)).map((j) => j.name)).toEqual(['publish-event', 'route-order']);
      expect((await jobsOf(fresh.id)).map((j) => j.name)).toEqual(['publish-event', 'route-order']);
      expect(await eventsOf(first.id)).toHaveLength(1);
    } finally {
      statements.mockRestore();
    }
  });

  it('fails every order of a batch with a transient error, once, without storing them one by one', async () => {
    const client: NetworkCaller = { kind: 'MEMBER', networkId, memberId: clientId, roles: ['CLIENT'], keyId: 'client-key' };
    const own = (over: Record<string, unknown> = {}) => input({ clientId: undefined, ...over });
    // A serialization failure raised by the database for one order of the statement stands for any transient one.
    await ds().query(`CREATE FUNCTION intake_spec_transient() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.notes = 'transient' THEN RAISE EXCEPTION 'spec: transient' USING ERRCODE = 'serialization_failure'; END IF; RETURN NEW; END $$`);
    await ds().query(`CREATE TRIGGER intake_spec_transient BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION intake_spec_transient()`);
    const statements = jest.spyOn(OutboxRepository, 'insertWithChanges');
    try {
      const inputs = [own(), own({ notes: 'transient' }), own()];
      const answers = await Promise.allSettled(inputs.map((i) => intake().place(client, i)));
      expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
      for (const a of answers) expect((a as PromiseRejectedResult).reason).toMatchObject({ code: '40001' });
      expect(statements).toHaveBeenCalledTimes(1);
      const keys = inputs.map((i) => i.idempotencyKey);
      expect(Number((await ds().query(`SELECT count(*) AS n FROM orders WHERE idempotency_key = ANY ($1)`, [keys]))[0].n)).toBe(0);
    } finally {
      statements.mockRestore();
      await ds().query(`DROP TRIGGER intake_spec_transient ON orders; DROP FUNCTION intake_spec_transient()`);
    }
  });

  it('publishes order.placed with the order as it is after the change, at its createdAt, the time of its history event too', async () => {
    const before = new Date();
    const placed = await intake().place(op, input());
    const [event] = await eventsOf(placed.id);
    expect(event).toMatchObject({ type: 'placed', actor: 'operator:test-key', supplier_id: null, detail: {} });
    expect(placed.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(event.created_at).toEqual(placed.createdAt);
    const [published, route] = await jobsOf(placed.id);
    expect(route).toMatchObject({ name: 'route-order', payload: { orderId: placed.id }, trace_context: null });
    expect(published).toMatchObject({ name: 'publish-event', trace_context: null });
    const domainEvent = published.payload as unknown as DomainEvent;
    expect(domainEvent).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'order.placed',
      networkId,
      occurredAt: expect.any(String),
      data: { orderId: placed.id, status: 'ROUTING', clientId },
    });
    expect(domainEvent.occurredAt).toBe(placed.createdAt.toISOString());
  });

  it('writes no second event and no second job for a replay or a conflicting request', async () => {
    const first = input();
    const placed = await intake().place(op, first);
    await intake().place(op, first);
    await expect(intake().place(op, { ...first, quantity: 9 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await eventsOf(placed.id)).toHaveLength(1);
    expect(await jobsOf(placed.id)).toHaveLength(2);
  });

  it('under the simulated clock stamps the order and its placed event with the simulated time', async () => {
    const clock = new SimulatedClock();
    const at = new Date(Date.now() - 30 * 86_400_000);
    clock.set(at);
    const simulated = new OrderIntakeService(app.get(DataSource), app.get(OutboxService), clock);
    const placed = await simulated.place(op, input());
    const [event] = await eventsOf(placed.id);
    expect(event.created_at).toEqual(placed.createdAt);
    expect(Math.abs(placed.createdAt.getTime() - at.getTime())).toBeLessThan(60_000);
    expect(placed).toEqual(await ds().manager.findOneByOrFail(OrderEntity, { id: placed.id }));
    expect((await jobsOf(placed.id)).map((j) => j.name)).toEqual(['publish-event', 'route-order']);
  });
});
