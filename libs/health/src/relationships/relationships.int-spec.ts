import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { TandemConfigModule } from '@tandem/common';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { HealthModule } from '../health.module';
import { HealthService } from '../health/health.service';
import { toRelationshipHealthObject } from '../health/relationship-health.object';
import { NetworkStatsService } from '../measures/network-stats.service';
import { DAY, HealthHistory, ago } from '../testing/health-history.fixture';
import { RelationshipsService } from './relationships.service';

const MINUTE = 60_000;

describe('the relationships list refresh (PostgreSQL)', () => {
  let app: INestApplicationContext;
  let drop: () => Promise<void>;
  let clear: () => Promise<void>;
  let ds: DataSource;
  let h: HealthHistory;
  let health: HealthService;
  let relationships: RelationshipsService;
  // Each refresh runs at its own instant (its mark), a minute apart, so what each one reads is exact.
  const base = new Date();
  const minute = (n: number) => new Date(base.getTime() + n * MINUTE);

  beforeAll(async () => {
    const db = await createTestDatabase('relationships');
    drop = db.drop;
    const config = testConfig(db.url);
    clear = () => clearQueues(config.redisUrl, config.queuePrefix);
    const mod = await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: db.url }), JobsModule.forRoot(config), HealthModule],
    }).compile();
    app = await mod.init();
    ds = app.get(DataSource);
    h = new HealthHistory(ds);
    health = app.get(HealthService);
    relationships = app.get(RelationshipsService);
  });

  afterAll(async () => {
    await app?.close();
    await clear?.();
    await drop?.();
  });

  const computedAt = async (): Promise<Map<string, number>> =>
    new Map(
      (await ds.query(`SELECT member_id, computed_at FROM health_relationships`)).map((r: { member_id: string; computed_at: Date }) => [
        r.member_id,
        r.computed_at.getTime(),
      ]),
    );
  /** The stored object, as the list serves it, against relationshipHealth computed at the same instant. */
  const expectRowIsLive = async (networkId: string, memberId: string, at: Date) => {
    const [row] = await ds.query(`SELECT health FROM health_relationships WHERE member_id = $1`, [memberId]);
    const live = JSON.parse(JSON.stringify(toRelationshipHealthObject(await health.relationshipHealth(networkId, memberId, at))));
    expect(row.health).toEqual(live);
  };

  it('recomputes only the members whose orders, postings or vetting changed since its mark', async () => {
    const net = await h.network();
    const partner = await h.member(net, ['PARTNER']);
    const client = await h.member(net, ['CLIENT'], { referredById: partner });
    const supplier = await h.member(net, ['SUPPLIER']);
    const decliner = await h.member(net, ['SUPPLIER']);
    const bystander = await h.member(net, ['CLIENT']);
    const elsewhere = await h.member(await h.network(), ['CLIENT']);

    // The first run has no mark: every member of every network gets its row.
    expect(await relationships.refreshChanged(minute(1))).toEqual({ members: 6, networks: 2 });
    expect([...(await computedAt()).keys()].sort()).toEqual([partner, client, supplier, decliner, bystander, elsewhere].sort());
    // Nothing happened since.
    expect(await relationships.refreshChanged(minute(2))).toEqual({ members: 0, networks: 0 });

    // An order placed a month ago is fulfilled now: its order row is old, its postings are new (client, supplier, partner).
    await h.order({
      networkId: net,
      clientId: client,
      supplierId: supplier,
      clientReferrerId: partner,
      createdAt: ago(base, 30 * DAY),
      acceptedAt: ago(base, 29 * DAY),
      deliverBy: minute(60 * 24),
      fulfilledAt: new Date(base.getTime() + 2.5 * MINUTE),
    });
    expect(await relationships.refreshChanged(minute(3))).toEqual({ members: 3, networks: 1 });
    let at = await computedAt();
    expect([client, supplier, partner].map((id) => at.get(id))).toEqual([3, 3, 3].map((m) => minute(m).getTime()));
    expect([decliner, bystander, elsewhere].map((id) => at.get(id))).toEqual([1, 1, 1].map((m) => minute(m).getTime()));
    for (const id of [client, supplier, partner]) await expectRowIsLive(net, id, minute(3));

    // A new order offered to the supplier after another declined it: the decliner is no longer on the order, but its offer is.
    const placed = new Date(base.getTime() + 3.5 * MINUTE);
    const order = await h.order({ networkId: net, clientId: client, supplierId: supplier, createdAt: placed, deliverBy: minute(60 * 48) });
    await h.offer(net, order, decliner, 'DECLINED', placed);
    await h.offer(net, order, supplier, 'OPEN', placed);
    expect(await relationships.refreshChanged(minute(4))).toEqual({ members: 3, networks: 1 });
    at = await computedAt();
    expect([client, supplier, decliner].map((id) => at.get(id))).toEqual([4, 4, 4].map((m) => minute(m).getTime()));
    expect([partner, bystander].map((id) => at.get(id))).toEqual([minute(3).getTime(), minute(1).getTime()]);
    await expectRowIsLive(net, decliner, minute(4));

    // A suspension is no order and no posting: the row's vetting status no longer matches the member's.
    await h.vetting(net, decliner, 'VETTED', 'SUSPENDED', new Date(base.getTime() + 4.5 * MINUTE));
    expect(await relationships.refreshChanged(minute(5))).toEqual({ members: 1, networks: 1 });
    expect((await computedAt()).get(decliner)).toBe(minute(5).getTime());
    await expectRowIsLive(net, decliner, minute(5));

    // A computation older than the stored row (a slower concurrent refresh) is not written over it.
    const networks = app.get(NetworkStatsService);
    const network = await networks.network(ds.manager, net);
    const stale = await health.computeMany(ds.manager, network, await networks.current(ds.manager, network, minute(2), 15 * MINUTE), [client], minute(2));
    await relationships.store(ds.manager, stale);
    expect((await computedAt()).get(client)).toBe(minute(4).getTime());

    // The list: the network's five members, weakest first, the suspended supplier among the weakest.
    const page = await relationships.list(net, { first: 10 });
    expect(page.totalCount).toBe(5);
    const keys = page.edges.map((e) => [e.node.score, e.node.memberId] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
    expect(page.edges[0].node.memberId).toBe(decliner);
    expect(page.edges[0].node.computedAt).toEqual(minute(5));
  });
  it('recomputes the member rated and the member who rated, and nobody else', async () => {
    const net = await h.network();
    const client = await h.member(net, ['CLIENT']);
    const supplier = await h.member(net, ['SUPPLIER']);
    const bystander = await h.member(net, ['CLIENT']);
    const order = await h.order({
      networkId: net,
      clientId: client,
      supplierId: supplier,
      createdAt: ago(base, 3 * DAY),
      acceptedAt: ago(base, 3 * DAY),
      deliverBy: ago(base, DAY),
      fulfilledAt: ago(base, 2 * DAY),
    });
    // Whatever the earlier runs left: from here on the mark is minute 10.
    await relationships.refreshChanged(minute(10));
    await h.feedback(order, client, 'SUPPLIER', 2, new Date(base.getTime() + 10.5 * MINUTE));
    expect(await relationships.refreshChanged(minute(11))).toEqual({ members: 2, networks: 1 });
    const at = await computedAt();
    expect([client, supplier, bystander].map((id) => at.get(id))).toEqual([11, 11, 10].map((m) => minute(m).getTime()));
    await expectRowIsLive(net, supplier, minute(11));
    const [row] = await ds.query(`SELECT health FROM health_relationships WHERE member_id = $1`, [supplier]);
    expect(row.health.ratingReceived).toBe(2);
  });
});
