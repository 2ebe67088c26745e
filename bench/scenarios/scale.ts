import os from 'node:os';
import { readFileSync } from 'node:fs';
import { RedisCluster } from '../../test/support/redis-cluster';
import { BenchFleet, loadAcross, placeOrderBodies } from '../fleet';
import { seedClients, seedFulfilledOrders, seedSuppliers, withDb } from '../seed';
import { Report, pgbenchTps } from '../support';

export interface ScaleOptions {
  /** Fulfilled orders posted in each posting run. */
  orders: number;
  /** Seconds of placeOrder load in each intake run. */
  seconds: number;
  pgbenchSeconds: number;
}

/** Busy and total jiffies of the whole machine so far (/proc/stat), to tell how saturated both cores were. */
function machineTicks(): { busy: number; total: number } {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
    const idle = cpu[3] + (cpu[4] ?? 0);
    const total = cpu.reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Runs `work` and says what share of the machine's CPU (all cores) was busy meanwhile, 0-100. */
async function busyDuring<T>(work: () => Promise<T>): Promise<{ result: T; busyPct: number }> {
  const before = machineTicks();
  const result = await work();
  const after = machineTicks();
  const total = after.total - before.total;
  return { result, busyPct: total > 0 ? (100 * (after.busy - before.busy)) / total : NaN };
}

/** placeOrder at 32 clients spread over `apis` API processes (one worker routes), in req/s. */
async function intakeRun(label: string, apis: number, opts: ScaleOptions, env: NodeJS.ProcessEnv = {}) {
  const fleet = await BenchFleet.start(`tandem_bench_scale_${label}`, { apis, workers: 1 }, env);
  try {
    const net = await fleet.network(`Scale ${label}`);
    await withDb(fleet.databaseUrl, (db) => seedSuppliers(db, net.networkId, 50, 'gift-baskets', ['NYC']));
    // Every API has seen the key once, so the first second measures no cold cache.
    for (const url of fleet.apiUrls)
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${net.clientKey}` },
        body: '{"query":"{ me { id } }"}',
      });
    const { result, busyPct } = await busyDuring(() =>
      loadAcross(fleet.apiUrls, net.clientKey, placeOrderBodies(label), { connections: 32, seconds: opts.seconds }),
    );
    console.log(`  ${label}: ${result.requests} placeOrder, ${result.errors} failed, ${result.perSecond.toFixed(1)}/s, machine ${busyPct.toFixed(0)} % busy`);
    return { ...result, busyPct };
  } finally {
    await fleet.stop();
  }
}

/**
 * `orders` fulfilled orders posted by `workers` workers, already running when
 * the outbox rows land in one commit; the rate from the first journal entry to
 * the last, by the database's clock.
 */
async function postingRun(label: string, workers: number, opts: ScaleOptions, env: NodeJS.ProcessEnv = {}) {
  const fleet = await BenchFleet.start(`tandem_bench_scale_${label}`, { apis: 1, workers }, env);
  try {
    const net = await fleet.network(`Scale ${label}`);
    await withDb(fleet.databaseUrl, async (db) => {
      await seedSuppliers(db, net.networkId, 200, 'gift-baskets', ['NYC']);
      const suppliers = (await db.query(`SELECT id FROM members WHERE network_id = $1 AND 'SUPPLIER' = ANY(roles)`, [net.networkId])).rows.map((r) => r.id);
      const clients = await seedClients(db, net.networkId, 200);
      await seedFulfilledOrders(db, net.networkId, opts.orders, clients, suppliers);
    });
    const deadlocks = () =>
      withDb(fleet.databaseUrl, async (db) =>
        Number((await db.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)).rows[0].deadlocks),
      );
    const deadlocks0 = await deadlocks();
    let samples = 0;
    let lockWaitSamples = 0;
    /** Which lock the waiting sessions wait for (transactionid: a row another batch holds; advisory: the ledger's lock). */
    const waitEvents = new Map<string, number>();
    const cpu0 = fleet.cpuMs();
    const {
      result: { result: seconds, postgresMs },
      busyPct,
    } = await busyDuring(() =>
      fleet.postgresCpuDuring(() =>
        withDb(fleet.databaseUrl, async (db) => {
          // What fulfilOrder leaves behind: one outbox row per order, all in one commit so every worker takes its share at once.
          await db.query(
            `INSERT INTO outbox (queue, name, payload)
           SELECT 'ledger', 'post-fulfilment', jsonb_build_object('orderId', id) FROM orders WHERE network_id = $1 AND status = 'FULFILLED'`,
            [net.networkId],
          );
          for (const until = Date.now() + 600_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
            // Sessions of the stack waiting for a row or advisory lock: what two workers' batches contend on.
            const waiting = await db.query<{ wait_event: string }>(
              `SELECT wait_event FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            );
            samples++;
            lockWaitSamples += waiting.rows.length > 0 ? 1 : 0;
            for (const w of waiting.rows) waitEvents.set(w.wait_event, (waitEvents.get(w.wait_event) ?? 0) + 1);
            const { rows } = await db.query(
              `SELECT count(*)::int AS n, extract(epoch FROM max(created_at) - min(created_at)) AS span
               FROM journal_entries WHERE network_id = $1 AND idempotency_key LIKE 'order:%:fulfil'`,
              [net.networkId],
            );
            if (rows[0].n >= opts.orders) return Math.max(Number(rows[0].span), 0.001);
          }
          throw new Error('postings did not finish within 10 minutes');
        }),
      ),
    );
    const cpu = fleet.cpuMs();
    const perSecond = opts.orders / seconds;
    const workerCpuPerOrder = (cpu.worker - cpu0.worker) / opts.orders;
    const postgresCpuPerOrder = postgresMs / opts.orders;
    // The statistics collector may report a deadlock a moment late.
    await new Promise((r) => setTimeout(r, 600));
    const deadlocked = (await deadlocks()) - deadlocks0;
    const lockWaitPct = samples > 0 ? (100 * lockWaitSamples) / samples : NaN;
    const waitedFor = [...waitEvents].map(([event, n]) => `${event} ${n}`).join(', ') || 'none';
    console.log(
      `  ${label}: ${opts.orders} posted in ${seconds.toFixed(2)} s, machine ${busyPct.toFixed(0)} % busy, CPU per order: worker ${workerCpuPerOrder.toFixed(2)} ms, PostgreSQL ${postgresCpuPerOrder.toFixed(2)} ms; a session waiting on a lock in ${lockWaitPct.toFixed(0)} % of samples, ${deadlocked} deadlocks; waits seen: ${waitedFor}`,
    );
    return { perSecond, busyPct, workerCpuPerOrder, postgresCpuPerOrder, lockWaitPct, deadlocked, waitedFor };
  } finally {
    await fleet.stop();
  }
}

/**
 * Issue 15's measurement: posting with 1 and 2 workers, intake with 1 and 2
 * API processes, the ratios, PostgreSQL's own TPC-B rate on the same server in
 * the same run, and the same flow with the queues on a Redis Cluster. Each run
 * has a database and processes of its own. The machine's load is reported
 * beside the figures: on a shared 2-core machine it bounds all of them.
 */
export async function scale(report: Report, opts: ScaleOptions): Promise<void> {
  report.add({ name: 'scale: load average (1 min) at start', value: os.loadavg()[0], unit: `on ${os.cpus().length} cores` });

  const intake1 = await intakeRun('intake_1api', 1, opts);
  const intake2 = await intakeRun('intake_2api', 2, opts);
  report.add({ name: 'scale: placeOrder, 1 API process (32 clients)', value: intake1.perSecond, unit: 'req/s' });
  report.add({
    name: 'scale: placeOrder, 2 API processes (32 clients)',
    value: intake2.perSecond,
    unit: 'req/s',
    baseline: { name: '1 API req/s', value: intake1.perSecond },
  });
  report.add({ name: 'scale: intake ratio 2 APIs / 1 API', value: intake2.perSecond / intake1.perSecond, unit: '' });
  report.add({ name: 'scale: machine CPU busy during intake, 1 / 2 APIs', value: intake1.busyPct, unit: `% / ${intake2.busyPct.toFixed(0)} %` });

  const post1 = await postingRun('posting_1w', 1, opts);
  const post2 = await postingRun('posting_2w', 2, opts);
  const tps = pgbenchTps(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', opts.pgbenchSeconds, 4);
  const ratio = post2.perSecond / post1.perSecond;
  report.add({ name: `scale: ${opts.orders} fulfilled orders posted, 1 worker`, value: post1.perSecond, unit: 'orders/s' });
  report.add({
    name: `scale: ${opts.orders} fulfilled orders posted, 2 workers`,
    value: post2.perSecond,
    unit: 'orders/s',
    baseline: { name: '1 worker orders/s', value: post1.perSecond },
  });
  report.add({ name: 'scale: posting ratio 2 workers / 1 worker', value: ratio, unit: '', target: 'ratio >= 1.6 (or what bounds it)', met: ratio >= 1.6 });
  report.add({ name: 'scale: pgbench tpcb-like tps (4 clients), same run', value: tps, unit: 'tps' });
  report.add({ name: 'scale: 2-worker posting / TPC-B tps', value: post2.perSecond / tps, unit: '' });
  report.add({ name: 'scale: machine CPU busy during posting, 1 / 2 workers', value: post1.busyPct, unit: `% / ${post2.busyPct.toFixed(0)} %` });
  report.add({
    name: 'scale: worker CPU per posted order, 1 / 2 workers',
    value: post1.workerCpuPerOrder,
    unit: `ms / ${post2.workerCpuPerOrder.toFixed(2)} ms`,
  });
  report.add({
    name: 'scale: posting samples with a session waiting on a lock, 1 / 2 workers',
    value: post1.lockWaitPct,
    unit: `% / ${post2.lockWaitPct.toFixed(0)} % (deadlocks: ${post1.deadlocked} / ${post2.deadlocked}; waits seen with 2: ${post2.waitedFor})`,
  });
  report.add({
    name: 'scale: PostgreSQL CPU per posted order, 1 / 2 workers',
    value: post1.postgresCpuPerOrder,
    unit: `ms / ${post2.postgresCpuPerOrder.toFixed(2)} ms`,
  });

  if (process.env.TANDEM_QUEUE_STORE === 'postgres') {
    console.log('  Redis Cluster comparison skipped: the queues run on PostgreSQL in this mode');
    return;
  }
  const cluster = await RedisCluster.start();
  try {
    const env = { REDIS_CLUSTER_NODES: cluster.nodes.join(',') };
    const clusterIntake = await intakeRun('intake_cluster', 1, opts, env);
    const clusterPosting = await postingRun('posting_cluster', 1, opts, env);
    report.add({
      name: 'scale: placeOrder, 1 API, queues on a 3-master Redis Cluster',
      value: clusterIntake.perSecond,
      unit: 'req/s',
      baseline: { name: 'single Redis req/s', value: intake1.perSecond },
    });
    report.add({
      name: 'scale: posting, 1 worker, queues on a 3-master Redis Cluster',
      value: clusterPosting.perSecond,
      unit: 'orders/s',
      baseline: { name: 'single Redis orders/s', value: post1.perSecond },
    });
  } finally {
    await cluster.stop();
  }
  report.add({ name: 'scale: load average (1 min) at end', value: os.loadavg()[0], unit: `on ${os.cpus().length} cores` });
}
