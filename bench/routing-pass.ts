import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NetworkCaller } from '@tandem/auth';
import { TandemConfigModule, loadConfig } from '@tandem/common';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule, dropDatabase, ensureDatabase, migrate } from '@tandem/persistence';
import { OfferService, OrderIntakeService, RoutingExplainerService, RoutingModule } from '@tandem/routing';
import { percentile } from './support';
import { seedSuppliers, withDb } from './seed';

/**
 * One routing pass at a time, in process, without the API, the outbox or the
 * queue: what the pass itself costs, and the statements it sends (each pass
 * must end OFFERED). Run it under the profiler:
 *
 *   node --cpu-prof --cpu-prof-dir=tmp/prof -r @swc-node/register bench/routing-pass.ts 100000 100
 *
 * (SWC_NODE_PROJECT=tsconfig.base.json). Findings: bench/README.md, "Routing".
 */
async function main() {
  const suppliers = Number(process.argv[2] ?? 1000);
  const orders = Number(process.argv[3] ?? 100);
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/tandem_bench_routing_pass_${randomUUID().slice(0, 8)}`;
  const url = base.toString();
  await ensureDatabase(url);
  await migrate(url);
  const config = { ...loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, TANDEM_ADMIN_KEY: 'tnd_admin_bench_0123456789abcdef' }), logLevel: 'silent' };
  const app = await (
    await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url, poolSize: 4 }), JobsModule.forRoot(config), RoutingModule],
    }).compile()
  ).init();
  try {
    const ds = app.get(DataSource);
    const networkId = randomUUID();
    await ds.query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds)
       VALUES ($1, 'Bench', 'USD', 1000, 500, 2000, 12, 900)`,
      [networkId],
    );
    await withDb(url, (db) => seedSuppliers(db, networkId, suppliers, 'cakes', ['NYC', 'LDN']));
    const clientId = randomUUID();
    await ds.query(`INSERT INTO members (id, network_id, name, roles) VALUES ($1, $2, 'Client', ARRAY['CLIENT'])`, [clientId, networkId]);
    const op: NetworkCaller = { kind: 'OPERATOR', networkId, keyId: 'bench' };
    const deliverBy = new Date(Date.now() + 7 * 86_400_000);
    const passes: number[] = [];
    // Every statement the pass sends (BEGIN, SAVEPOINT and COMMIT included), through TypeORM's logger, which each query runner calls.
    const statements: string[] = [];
    let recording = false;
    const logQuery = ds.logger.logQuery.bind(ds.logger);
    ds.logger.logQuery = (query, parameters, runner) => {
      if (recording) statements.push(query.replace(/\s+/g, ' ').trim());
      return logQuery(query, parameters, runner);
    };
    const counts: number[] = [];
    let lastPass: string[] = [];
    for (let i = 0; i < orders; i++) {
      const { id } = await app.get(OrderIntakeService).place(op, {
        clientId,
        category: 'cakes',
        region: 'NYC',
        quantity: 1,
        deliverBy,
        budget: { amount: '1000.00', currency: 'USD' },
        idempotencyKey: `p${i}`,
      });
      statements.length = 0;
      recording = true;
      const started = process.hrtime.bigint();
      await app.get(OfferService).routeOrder(id);
      passes.push(Number(process.hrtime.bigint() - started) / 1e6);
      recording = false;
      counts.push(statements.length);
      lastPass = [...statements];
      const [{ status }] = (await ds.query(`SELECT status FROM orders WHERE id = $1`, [id])) as { status: string }[];
      if (status !== 'OFFERED') throw new Error(`order ${i} ended ${status}, not OFFERED`);
    }
    const round = (x: number) => Math.round(x * 10) / 10;
    console.log(`${suppliers} suppliers, ${orders} passes: p50 ${round(percentile(passes, 50))} ms, p99 ${round(percentile(passes, 99))} ms`);
    console.log(`statements per pass: ${Math.min(...counts)} to ${Math.max(...counts)}; the last pass's:`);
    lastPass.forEach((q, n) => console.log(`  ${String(n + 1).padStart(2)}. ${q.length > 160 ? `${q.slice(0, 157)}...` : q}`));
    // The explanations the passes left due (none before the fast path): all of one shape, so one scan.
    const started = process.hrtime.bigint();
    const explained = await app.get(RoutingExplainerService).explainDue();
    console.log(`explained ${explained} offers in ${round(Number(process.hrtime.bigint() - started) / 1e6)} ms`);
  } finally {
    await app.close();
    await dropDatabase(url);
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  },
);
