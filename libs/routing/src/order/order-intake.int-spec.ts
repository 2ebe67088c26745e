import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NetworkCaller } from '@tandem/auth';
import { TandemConfigModule } from '@tandem/common';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { RoutingModule } from '../routing.module';
import { OrderEntity } from './order.entity';
import { OrderIntakeService } from './order-intake.service';

/** placeOrder answers the order without reading it back: what it answers must be the row as stored. */
describe('order intake against PostgreSQL', () => {
  let app: INestApplicationContext;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ReturnType<typeof testConfig>;
  let networkId: string;
  let clientId: string;
  let op: NetworkCaller;

  beforeAll(async () => {
    db = await createTestDatabase('order-intake-int');
    config = testConfig(db.url);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TandemConfigModule.forRoot(config),
        PersistenceModule.forRoot({ url: config.databaseUrl, poolSize: 4 }),
        JobsModule.forRoot(config),
        RoutingModule,
      ],
    }).compile();
    app = await moduleRef.init();
    networkId = randomUUID();
    clientId = randomUUID();
    await ds().query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds)
       VALUES ($1, 'Net', 'USD', 1000, 500, 2000, 12, 900)`,
      [networkId],
    );
    await ds().query(`INSERT INTO members (id, network_id, name, roles, term_overrides, joined_at) VALUES ($1, $2, 'Client', '{CLIENT}', '{}', now())`, [
      clientId,
      networkId,
    ]);
    op = { kind: 'OPERATOR', networkId, keyId: 'test-key' };
  });

  afterAll(async () => {
    await app.close();
    await clearQueues(config.redisUrl, config.queuePrefix);
    await db.drop();
  });

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
  });
});
