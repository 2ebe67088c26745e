/**
 * balance and a supplier's orders page over HTTP (npm run bench -- --only reads, reads-10m):
 * 1,000 suppliers, 1,000 clients, postings/20 fulfilled orders over the last year and
 * `postings` postings over the last 12 months of monthly ledger partitions, seeded
 * in SQL (bench/seed.ts); then the p99 of each read beside the `{ __typename }`
 * floor, the CPU each costs per request, and the EXPLAIN (ANALYZE, BUFFERS) plans
 * of the SQL the API runs for them (the real services, their queries explained
 * on the same SQL and parameters), written to bench/results/reads-plans-<postings>.md.
 */
import 'reflect-metadata';
import { writeFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import * as path from 'path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource, QueryRunner, ReplicationMode } from 'typeorm';
import { Caller } from '@tandem/auth';
import { TandemConfigModule, encodeCursor, loadConfig } from '@tandem/common';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule } from '@tandem/persistence';
import { OrderQueryService, RoutingModule } from '@tandem/routing';
import { BalanceService, SettlementModule } from '@tandem/settlement';
import { SeededLedger, seedClients, seedFulfilledOrders, seedLedger, seedSuppliers, withDb } from '../seed';
import { BenchStack, CpuMs, Report, fmt, gql, percentile, timed } from '../support';

const RESULTS = path.join(__dirname, '..', 'results');

export async function reads(stack: BenchStack, report: Report, opts: { postings: number; requests: number }): Promise<void> {
  const { createNetwork } = await gql(
    stack.url,
    `mutation { createNetwork(input: {name: "Reads", currency: "USD"}) { operatorKey network { id } } }`,
    {},
    stack.config.adminKey,
  );
  const op: string = createNetwork.operatorKey;
  const networkId: string = createNetwork.network.id;
  const orderCount = Math.ceil(opts.postings / 20);
  const seeded = Date.now();
  const { clients, suppliers, newcomer, ledger } = await withDb(stack.config.databaseUrl, async (db) => {
    await seedSuppliers(db, networkId, 1000, 'gift-baskets', ['NYC']);
    const supplierIds: string[] = (
      await db.query(`SELECT id FROM members WHERE network_id = $1 AND 'SUPPLIER' = ANY(roles) ORDER BY id`, [networkId])
    ).rows.map((r) => r.id);
    const clientIds = await seedClients(db, networkId, 1000);
    await seedFulfilledOrders(db, networkId, orderCount, clientIds, supplierIds, 0, 365);
    // A supplier that joined yesterday: its 20 orders are the network's newest.
    const [{ id: newcomer }] = (
      await db.query(
        `INSERT INTO members (id, network_id, name, roles, vetting_status, term_overrides, joined_at, created_at)
         VALUES (gen_random_uuid(), $1, 'Newcomer', ARRAY['SUPPLIER'], 'VETTED', '{}'::jsonb, now() - interval '1 day', now()) RETURNING id`,
        [networkId],
      )
    ).rows;
    await seedFulfilledOrders(db, networkId, 20, clientIds, [newcomer], orderCount, 1);
    console.log(`  seeded ${orderCount.toLocaleString()} orders in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const ledger: SeededLedger = await seedLedger(db, networkId, opts.postings, { months: 12, log: (line) => console.log(line) });
    // As autovacuum would leave them: visibility maps set, statistics current.
    await db.query('VACUUM ANALYZE members, orders, order_fees, ledger_accounts');
    await db.query('ANALYZE journal_entries, postings');
    // The seed wrote gigabytes in two minutes: flush them now, or the checkpointer writes them out during the timed reads.
    await db.query('CHECKPOINT');
    return { clients: clientIds, suppliers: supplierIds, newcomer: newcomer as string, ledger };
  });
  const seedSeconds = (Date.now() - seeded) / 1000;
  const postingPartitions = ledger.partitions.filter((p) => p.name.startsWith('postings_') && p.rows > 0);
  console.log(
    `  seeded ${ledger.postings.toLocaleString()} postings (${ledger.entries.toLocaleString()} entries) in ${seedSeconds.toFixed(1)} s, ` +
      `over ${postingPartitions.length} postings partitions: ${postingPartitions.map((p) => `${p.name} ${p.rows.toLocaleString()}`).join(', ')}`,
  );
  report.add({ name: `reads: seeding ${ledger.postings.toLocaleString()} postings and ${orderCount.toLocaleString()} orders`, value: seedSeconds, unit: 's' });

  const perRequest = (cpu: CpuMs, n: number) => `API ${fmt(cpu.api / n)} ms, PostgreSQL ${fmt(cpu.postgres / n)} ms`;
  const balanceQuery = `query($id: ID!) { balance(memberId: $id, currency: "USD") { owedToHub { amount } owedByHub { amount } net { amount } } }`;
  await timed(50, (i) => gql(stack.url, balanceQuery, { id: clients[i % clients.length] }, op)); // warm up
  const { result: balance, cpuMs: balanceCpu } = await stack.cpuDuring(() =>
    stack.profileApi('reads-balance', () =>
      timed(opts.requests, (i) => gql(stack.url, balanceQuery, { id: (i % 2 ? clients : suppliers)[(i * 7) % 1000] }, op)),
    ),
  );

  const supplier = suppliers[0];
  const supplierKey = (await gql(stack.url, `mutation($id: ID!) { issueApiKey(memberId: $id) }`, { id: supplier }, op)).issueApiKey;
  const page = `{ orders(first: 20) { totalCount edges { node { id status price { amount } fees { clientFee { amount } supplierFee { amount } } client { name } } } } }`;
  const { orders: first } = await gql(stack.url, page, {}, supplierKey);
  await timed(50, () => gql(stack.url, page, {}, supplierKey));
  const { result: orders, cpuMs: ordersCpu } = await stack.cpuDuring(() =>
    stack.profileApi('reads-orders-page', () => timed(opts.requests, () => gql(stack.url, page, {}, supplierKey))),
  );

  const newcomerKey = (await gql(stack.url, `mutation($id: ID!) { issueApiKey(memberId: $id) }`, { id: newcomer }, op)).issueApiKey;
  await timed(50, () => gql(stack.url, page, {}, newcomerKey));
  const { result: newcomerOrders, cpuMs: newcomerCpu } = await stack.cpuDuring(() => timed(opts.requests, () => gql(stack.url, page, {}, newcomerKey)));

  const { result: floor, cpuMs: floorCpu } = await stack.cpuDuring(() =>
    stack.profileApi('reads-floor', () => timed(opts.requests, () => gql(stack.url, '{ __typename }', {}, op))),
  );
  // Every row names its size: the 1,000,000 and 10,000,000 runs share one table.
  const add = (row: Parameters<Report['add']>[0]) => report.add({ ...row, name: `${row.name} at ${ledger.postings} postings` });
  add({
    name: 'reads: balance p99',
    value: percentile(balance, 99),
    unit: 'ms',
    baseline: { name: '{ __typename } p99 ms', value: percentile(floor, 99) },
    target: 'p99 < 20 ms',
    met: percentile(balance, 99) < 20,
  });
  add({ name: 'reads: balance p50', value: percentile(balance, 50), unit: 'ms' });
  add({
    name: `reads: supplier's orders page (20, with fees; the supplier has ${first.totalCount} orders) p99`,
    value: percentile(orders, 99),
    unit: 'ms',
    target: 'p99 < 20 ms',
    met: percentile(orders, 99) < 20,
  });
  add({ name: `reads: supplier's orders page p50`, value: percentile(orders, 50), unit: 'ms' });
  add({
    name: `reads: a new supplier's orders page (its 20 orders the network's newest) p99`,
    value: percentile(newcomerOrders, 99),
    unit: 'ms',
    target: 'p99 < 20 ms',
    met: percentile(newcomerOrders, 99) < 20,
  });
  add({ name: `reads: a new supplier's orders page p50`, value: percentile(newcomerOrders, 50), unit: 'ms' });
  add({ name: '{ __typename } p50', value: percentile(floor, 50), unit: 'ms' });
  console.log(
    `  CPU per request: balance ${perRequest(balanceCpu, opts.requests)}; orders page ${perRequest(ordersCpu, opts.requests)}; ` +
      `new supplier's page ${perRequest(newcomerCpu, opts.requests)}; ` +
      `{ __typename } ${perRequest(floorCpu, opts.requests)}`,
  );
  add({ name: 'reads: balance, API CPU per request', value: balanceCpu.api / opts.requests, unit: 'ms' });
  add({ name: 'reads: balance, PostgreSQL CPU per request', value: balanceCpu.postgres / opts.requests, unit: 'ms' });
  add({ name: 'reads: orders page, API CPU per request', value: ordersCpu.api / opts.requests, unit: 'ms' });
  add({ name: 'reads: orders page, PostgreSQL CPU per request', value: ordersCpu.postgres / opts.requests, unit: 'ms' });
  add({
    name: `reads: new supplier's page, PostgreSQL CPU per request`,
    value: newcomerCpu.postgres / opts.requests,
    unit: 'ms',
  });
  add({ name: '{ __typename }, API CPU per request', value: floorCpu.api / opts.requests, unit: 'ms' });

  const plans = await explainReads(stack, networkId, { client: clients[0], supplier, newcomer, orderCount: first.totalCount });
  const file = path.join(RESULTS, `reads-plans-${opts.postings}.md`);
  writeFileSync(
    file,
    [
      `# Plans of the reads at ${ledger.postings.toLocaleString()} postings`,
      '',
      `Written by \`npm run bench -- --only ${opts.postings >= 2_000_000 ? 'reads-10m' : 'reads'}\` ` +
        `(bench/scenarios/reads.ts) on ${new Date().toISOString()}, load average ${loadAverage()} on ${cpus().length} cores.`,
      '',
      `Seed: 1,000 suppliers, 1,000 clients, ${orderCount.toLocaleString()} fulfilled orders over the last 365 days ` +
        `(supplier ${supplier} has ${first.totalCount}), ${ledger.entries.toLocaleString()} journal entries and ` +
        `${ledger.postings.toLocaleString()} postings over the last 12 months, ${seedSeconds.toFixed(1)} s.`,
      '',
      'Rows per ledger partition:',
      '',
      ...ledger.partitions.map((p) => `- ${p.name}: ${p.rows.toLocaleString()}`),
      '',
      `p99 over HTTP (${opts.requests} requests each, one after another): balance ${fmt(percentile(balance, 99))} ms, ` +
        `orders page ${fmt(percentile(orders, 99))} ms, a new supplier's page ${fmt(percentile(newcomerOrders, 99))} ms, \`{ __typename }\` ${fmt(percentile(floor, 99))} ms.`,
      '',
      'Each plan is `EXPLAIN (ANALYZE, BUFFERS)` of the SQL and parameters the service ran (BalanceService.balance, OrderQueryService.list), ' +
        'taken right before the service ran the same statement.',
      '',
      ...plans.flatMap((p) => [`## ${p.label}`, '', '```sql', p.sql, '```', '', '```', p.plan, '```', '']),
    ].join('\n'),
  );
  console.log(`\n${plans.map((p) => `-- ${p.label}\n${p.sql}\n${p.plan}`).join('\n\n')}\n`);
  console.log(`  plans written to ${path.relative(path.join(RESULTS, '..', '..'), file)}`);
}

interface Plan {
  label: string;
  sql: string;
  plan: string;
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

/**
 * The services the API resolves balance and orders with, in a context of their own on the
 * bench database, every SELECT they run preceded by EXPLAIN (ANALYZE, BUFFERS) of the same
 * SQL and parameters (the services still get their real rows).
 */
async function explainReads(
  stack: BenchStack,
  networkId: string,
  who: { client: string; supplier: string; newcomer: string; orderCount: number },
): Promise<Plan[]> {
  const config = {
    ...loadConfig({ DATABASE_URL: stack.config.databaseUrl, NODE_ENV: 'test' }),
    queuePrefix: `${stack.config.queuePrefix}-plans`,
    logLevel: 'silent',
  };
  @Module({
    imports: [
      TandemConfigModule.forRoot(config),
      PersistenceModule.forRoot({ url: stack.config.databaseUrl }),
      JobsModule.forRoot(config),
      SettlementModule,
      RoutingModule,
    ],
  })
  class PlansModule {}
  const app = await NestFactory.createApplicationContext(PlansModule, { logger: false });
  const plans: Plan[] = [];
  let label = '';
  try {
    const ds = app.get(DataSource);
    const createQueryRunner = ds.createQueryRunner.bind(ds);
    ds.createQueryRunner = (mode?: ReplicationMode): QueryRunner => {
      const runner = createQueryRunner(mode);
      const query = runner.query.bind(runner) as (sql: string, params?: unknown[], structured?: boolean) => Promise<any>;
      runner.query = (async (sql: string, params?: unknown[], structured?: boolean) => {
        if (label && /^\s*(SELECT|WITH)\b/i.test(sql)) {
          const rows: { 'QUERY PLAN': string }[] = await query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
          plans.push({ label, sql: sql.replace(/\s+/g, ' ').trim(), plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
        }
        return query(sql, params, structured);
      }) as QueryRunner['query'];
      return runner;
    };
    const balances = app.get(BalanceService);
    const list = app.get(OrderQueryService);
    const operator: Caller = { kind: 'OPERATOR', networkId, keyId: 'bench-plans' };
    const supplier: Caller = { kind: 'MEMBER', networkId, memberId: who.supplier, roles: ['SUPPLIER'], keyId: 'bench-plans' };
    const client: Caller = { kind: 'MEMBER', networkId, memberId: who.client, roles: ['CLIENT'], keyId: 'bench-plans' };
    // Warm, as the timed requests left the caches, then explained.
    await balances.balance(operator, who.client, 'USD');
    await list.list(supplier, { first: 20 });

    label = "balance, the operator's key (the bench's requests): the member looked up in the network";
    await balances.balance(operator, who.client, 'USD');
    label = "balance, the member's own key (no member lookup)";
    await balances.balance(client, who.client, 'USD');
    label = `supplier's orders page, first 20 (the supplier has ${who.orderCount} orders)`;
    await list.list(supplier, { first: 20 });
    label = '';
    if (who.orderCount > 0) {
      // Halfway down the supplier's orders: the keyset cursor of its middle order.
      const [middle] = await ds.query(
        `SELECT created_at, id FROM orders WHERE network_id = $1 AND supplier_id = $2 ORDER BY created_at, id OFFSET $3 LIMIT 1`,
        [networkId, who.supplier, Math.floor(who.orderCount / 2)],
      );
      label = `supplier's orders page, 20 after a cursor halfway down`;
      await list.list(supplier, { first: 20, after: encodeCursor({ createdAt: new Date(middle.created_at), id: middle.id }) });
      label = '';
    }
    label = "a new supplier's orders page, first 20 (its 20 orders the network's newest)";
    await list.list({ ...supplier, memberId: who.newcomer }, { first: 20 });
    label = '';
  } finally {
    label = '';
    await app.close();
  }
  return plans;
}
