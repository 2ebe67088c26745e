import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { NetworkCaller } from '@tandem/auth';
import { DomainEvent } from '@tandem/jobs';
import { RoutingTestApp, startRoutingApp } from '../testing/routing-test-app.test-support';
import { OrderEntity } from './order.entity';
import { recordOrderEvent } from './order-history';
import { OrderIntakeService } from './order-intake.service';

/** Every order event is written to the history and published with the order as it is right after the change. */
describe('order history against PostgreSQL', () => {
  let app: INestApplicationContext;
  let t: RoutingTestApp;
  let networkId: string;
  let clientId: string;
  let supplierId: string;
  let op: NetworkCaller;

  beforeAll(async () => {
    t = await startRoutingApp('order-history-int');
    app = t.app;
    networkId = randomUUID();
    clientId = randomUUID();
    supplierId = randomUUID();
    await t.insertNetwork(networkId);
    await ds().query(
      `INSERT INTO members (id, network_id, name, roles, term_overrides, joined_at)
       VALUES ($1, $3, 'Client', '{CLIENT}', '{}', now()), ($2, $3, 'Supplier', '{SUPPLIER}', '{}', now())`,
      [clientId, supplierId, networkId],
    );
    op = { kind: 'OPERATOR', networkId, keyId: 'test-key' };
  });

  afterAll(() => t.close());

  const ds = () => app.get(DataSource);
  const place = () =>
    app.get(OrderIntakeService).place(op, {
      clientId,
      category: 'gift-baskets',
      region: 'US-NY',
      quantity: 1,
      deliverBy: new Date(Date.now() + 3 * 86_400_000),
      budget: { amount: '100', currency: 'USD' },
      idempotencyKey: `k-${randomUUID()}`,
    });
  const inTransaction = (work: (em: EntityManager) => Promise<void>) => ds().transaction(work);
  const eventsOf = async (orderId: string) =>
    (await ds().query(`SELECT type, actor, supplier_id, detail, created_at FROM order_events WHERE order_id = $1 ORDER BY id`, [orderId])) as {
      type: string;
      actor: string;
      supplier_id: string | null;
      detail: unknown;
      created_at: Date;
    }[];
  const publishedOf = async (orderId: string) =>
    (
      (await ds().query(`SELECT payload FROM outbox WHERE name = 'publish-event' AND payload->'data'->>'orderId' = $1 ORDER BY id`, [orderId])) as {
        payload: DomainEvent;
      }[]
    ).map((r) => r.payload);

  it('publishes the status and reach the caller just wrote in its transaction, at the database time after the history event', async () => {
    const order = await place();
    const acceptedAt = new Date('2026-11-30T12:00:00.000Z');
    await inTransaction(async (em) => {
      await em.update(OrderEntity, { id: order.id }, { status: 'ACCEPTED', supplierId, acceptedAt });
      await recordOrderEvent(em, order, 'accepted', 'member:x', { supplierId, reason: 'took it' });
    });
    const events = await eventsOf(order.id);
    expect(events.map((e) => e.type)).toEqual(['placed', 'accepted']);
    expect(events[1]).toMatchObject({ actor: 'member:x', supplier_id: supplierId, detail: { reason: 'took it' } });
    const published = await publishedOf(order.id);
    expect(published.map((p) => p.type)).toEqual(['order.placed', 'order.accepted']);
    expect(published[1]).toEqual({
      id: expect.any(String),
      type: 'order.accepted',
      networkId,
      occurredAt: expect.any(String),
      data: { orderId: order.id, status: 'ACCEPTED', clientId, supplierId, acceptedAt: acceptedAt.toISOString() },
    });
    expect(new Date(published[1].occurredAt).getTime()).toBeGreaterThanOrEqual(events[1].created_at.getTime());
  });

  it('writes an event partners are not told of to the history only', async () => {
    const order = await place();
    await inTransaction((em) => recordOrderEvent(em, order, 'withdrawn', 'system', { supplierId }));
    expect((await eventsOf(order.id)).map((e) => [e.type, e.supplier_id, e.detail])).toEqual([
      ['placed', null, {}],
      ['withdrawn', supplierId, {}],
    ]);
    expect((await publishedOf(order.id)).map((p) => p.type)).toEqual(['order.placed']);
  });

  it('stamps the event with `at` under the simulated clock, and publishes it', async () => {
    const order = await place();
    const at = new Date('2026-01-15T08:30:00.000Z');
    await inTransaction(async (em) => {
      await em.update(OrderEntity, { id: order.id }, { status: 'CANCELLED', cancelledAt: at });
      await recordOrderEvent(em, order, 'cancelled', 'operator:test-key', { reason: 'no longer needed', at });
    });
    const events = await eventsOf(order.id);
    expect(events[1]).toMatchObject({ type: 'cancelled', created_at: at, detail: { reason: 'no longer needed' } });
    const published = await publishedOf(order.id);
    expect(published[1]).toMatchObject({ type: 'order.cancelled', data: { orderId: order.id, status: 'CANCELLED', clientId } });
  });

  it('writes nothing of an event whose transaction rolls back', async () => {
    const order = await place();
    await expect(
      inTransaction(async (em) => {
        await recordOrderEvent(em, order, 'cancelled', 'system');
        throw new Error('the change fails after its event');
      }),
    ).rejects.toThrow('the change fails');
    expect((await eventsOf(order.id)).map((e) => e.type)).toEqual(['placed']);
    expect(await publishedOf(order.id)).toHaveLength(1);
  });
});
