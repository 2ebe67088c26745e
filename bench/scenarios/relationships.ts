/**
 * The operator's relationships list at 100,000 members (npm run bench -- --only relationships):
 * members and a history seeded in SQL, the list built once by the refresh job's
 * first run, then the list's p99 over HTTP (first page, a deep page, each
 * filter, 100 a page), the refresh after a burst of order changes, and the
 * plans of the list's queries (EXPLAIN (ANALYZE, BUFFERS)), printed for
 * bench/relationships.md.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource, EntityManager } from 'typeorm';
import { TandemConfigModule, encodeScoreCursor, loadConfig } from '@tandem/common';
import { HealthModule, RelationshipsService } from '@tandem/health';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule } from '@tandem/persistence';
import { RelationshipFilter, RelationshipsRepository } from '../../libs/health/src/relationships/relationships.repository';
import { seedClients, seedFulfilledOrders, seedSuppliers, withDb } from '../seed';
import { BenchStack, Report, gql, percentile, timed } from '../support';

const NODE = `member { id name } score credibility reliability intimacy selfOrientation trust
  valueToMember { amount currency } valueToHub { amount currency } acquisitionCostPerOrder { amount currency } atRisk signals`;
const LIST = `query($role: Role, $atRisk: Boolean, $first: Int, $after: String) {
  relationships(role: $role, atRisk: $atRisk, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${NODE} } } } }`;

/** The bench calls the API back to back from one client: the per-key rate limit would measure itself, so it is off for this stack. */
export async function withoutRateLimit<T>(work: () => Promise<T>): Promise<T> {
  const saved = process.env.TANDEM_RATE_LIMIT_PER_SECOND;
  process.env.TANDEM_RATE_LIMIT_PER_SECOND = '0';
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.TANDEM_RATE_LIMIT_PER_SECOND;
    else process.env.TANDEM_RATE_LIMIT_PER_SECOND = saved;
  }
}

/** An EntityManager that explains what the repository would run, with the same SQL and parameters. */
function explaining(ds: DataSource, plans: string[], label: string): EntityManager {
  return {
    query: async (sql: string, params: unknown[]) => {
      const rows: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      plans.push(`-- ${label}\n${sql.replace(/\s+/g, ' ').trim()}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      return [];
    },
  } as unknown as EntityManager;
}

export async function relationships(stack: BenchStack, report: Report, opts: { members: number; orders: number; requests: number }): Promise<void> {
  const { createNetwork } = await gql(
    stack.url,
    `mutation { createNetwork(input: {name: "Relationships", currency: "USD"}) { operatorKey network { id } } }`,
    {},
    stack.config.adminKey,
  );
  const op: string = createNetwork.operatorKey;
  const networkId: string = createNetwork.network.id;
  const suppliers = Math.round(opts.members * 0.2);
  const partners = Math.round(opts.members * 0.05);
  const clients = opts.members - suppliers - partners;
  const seeded = Date.now();
  await withDb(stack.config.databaseUrl, async (db) => {
    await seedSuppliers(db, networkId, suppliers, 'gift-baskets', ['NYC']);
    const supplierIds = (await db.query(`SELECT id FROM members WHERE network_id = $1 AND 'SUPPLIER' = ANY(roles)`, [networkId])).rows.map((r) => r.id);
    const clientIds = await seedClients(db, networkId, clients);
    await db.query(
      `INSERT INTO members (id, network_id, name, roles, term_overrides, joined_at, created_at)
       SELECT gen_random_uuid(), $1, 'Partner ' || g, ARRAY['PARTNER'], '{}'::jsonb, now() - interval '200 days', now() FROM generate_series(1, $2) g`,
      [networkId, partners],
    );
    // Tenure from 0 to 2 years, so intimacy (and the score) spreads.
    await db.query(`UPDATE members SET joined_at = now() - (abs(hashtext(id::text)) % 730) * interval '1 day' WHERE network_id = $1`, [networkId]);
    await seedFulfilledOrders(db, networkId, opts.orders, clientIds, supplierIds);
    // One order in four delivered late, one in twenty cancelled: reliability spreads too, and some members fall at risk.
    await db.query(`UPDATE orders SET fulfilled_at = deliver_by + interval '1 hour' WHERE network_id = $1 AND abs(hashtext(id::text)) % 4 = 0`, [networkId]);
    await db.query(
      `UPDATE orders SET status = 'CANCELLED', cancelled_at = created_at, fulfilled_at = NULL, accepted_at = NULL, supplier_id = NULL
        WHERE network_id = $1 AND abs(hashtext(id::text || 'c')) % 20 = 0`,
      [networkId],
    );
    await db.query('VACUUM ANALYZE members');
    await db.query('VACUUM ANALYZE orders');
  });
  console.log(
    `  seeded ${opts.members.toLocaleString()} members (${suppliers} suppliers, ${clients} clients, ${partners} partners) and ${opts.orders.toLocaleString()} orders in ${((Date.now() - seeded) / 1000).toFixed(1)} s`,
  );

  const config = {
    ...loadConfig({ DATABASE_URL: stack.config.databaseUrl, NODE_ENV: 'test' }),
    queuePrefix: `${stack.config.queuePrefix}-bare`,
    logLevel: 'silent',
  };
  @Module({
    imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: stack.config.databaseUrl }), JobsModule.forRoot(config), HealthModule],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  try {
    const ds = app.get(DataSource);
    const service = app.get(RelationshipsService);
    let t = Date.now();
    const built = await service.refreshChanged();
    const buildMs = Date.now() - t;
    report.add({
      name: `relationships: first build of the list (${built.members.toLocaleString()} members, the refresh job's first run)`,
      value: buildMs / 1000,
      unit: 's',
    });
    await ds.query('VACUUM ANALYZE health_relationships');
    const [{ rows, at_risk: atRisk }] = await ds.query(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE at_risk)::int AS at_risk FROM health_relationships WHERE network_id = $1`,
      [networkId],
    );
    console.log(`  list: ${rows} rows, ${atRisk} at risk`);

    const middle = (
      await ds.query(`SELECT member_id, score FROM health_relationships WHERE network_id = $1 ORDER BY score, member_id OFFSET $2 LIMIT 1`, [
        networkId,
        Math.floor(rows / 2),
      ])
    )[0];
    const deep = encodeScoreCursor({ score: Number(middle.score), id: middle.member_id });
    const cases: { label: string; vars: Record<string, unknown>; target?: boolean }[] = [
      { label: 'first page (20)', vars: {}, target: true },
      { label: 'a page halfway down (after a cursor at row 50 %)', vars: { after: deep }, target: true },
      { label: 'role PARTNER', vars: { role: 'PARTNER' }, target: true },
      { label: 'atRisk true', vars: { atRisk: true }, target: true },
      { label: 'role SUPPLIER, atRisk false, halfway down', vars: { role: 'SUPPLIER', atRisk: false, after: deep }, target: true },
      { label: '100 a page', vars: { first: 100 } },
    ];
    for (const c of cases) {
      await timed(20, () => gql(stack.url, LIST, c.vars, op)); // warm up
      const ms = await timed(opts.requests, () => gql(stack.url, LIST, c.vars, op));
      const p99 = percentile(ms, 99);
      report.add({ name: `relationships over HTTP, ${c.label}: p50`, value: percentile(ms, 50), unit: 'ms' });
      report.add({
        name: `relationships over HTTP, ${c.label}: p99 (${opts.requests} requests)`,
        value: p99,
        unit: 'ms',
        ...(c.target ? { target: 'p99 < 100 ms', met: p99 < 100 } : {}),
      });
    }

    // A burst of business: 1,000 orders change (as acceptances and fulfilments would), then one refresh.
    await ds.query(`UPDATE orders SET updated_at = now() WHERE id IN (SELECT id FROM orders WHERE network_id = $1 ORDER BY id LIMIT 1000)`, [networkId]);
    t = Date.now();
    const burst = await service.refreshChanged();
    const burstMs = Date.now() - t;
    // The member count goes with the value, not the name: --runs lines figures up by name.
    report.add({
      name: 'relationships: refresh after 1,000 orders changed',
      value: burstMs,
      unit: `ms (${burst.members} members recomputed)`,
      target: '< 20 s (the refresh interval)',
      met: burstMs < 20_000,
    });
    t = Date.now();
    const idle = await service.refreshChanged();
    report.add({ name: 'relationships: refresh with nothing changed', value: Date.now() - t, unit: `ms (${idle.members} members recomputed)` });

    const plans: string[] = [];
    const all: RelationshipFilter = { networkId, role: null, atRisk: null };
    await RelationshipsRepository.page(explaining(ds, plans, 'first page'), all, null, 21);
    await RelationshipsRepository.page(explaining(ds, plans, 'halfway down'), all, { score: middle.score, id: middle.member_id }, 21);
    await RelationshipsRepository.page(explaining(ds, plans, 'role PARTNER'), { ...all, role: 'PARTNER' }, null, 21);
    await RelationshipsRepository.page(explaining(ds, plans, 'atRisk true'), { ...all, atRisk: true }, null, 21);
    await RelationshipsRepository.count(explaining(ds, plans, 'totalCount, whole list'), all);
    await RelationshipsRepository.count(explaining(ds, plans, 'totalCount, role PARTNER'), { ...all, role: 'PARTNER' });
    await RelationshipsRepository.anyAtOrBefore(explaining(ds, plans, 'hasPreviousPage'), all, { score: middle.score, id: middle.member_id });
    await RelationshipsRepository.changedMembers(explaining(ds, plans, 'refresh: what changed'), new Date(Date.now() - 30_000));
    console.log(`\n${plans.join('\n\n')}\n`);
  } finally {
    await app.close();
  }
}
