import { BenchStack, Report, gql, pgbenchTps } from '../support';
import { seedClients, seedFulfilledOrders, seedSuppliers, withDb } from '../seed';

/** Fulfilled orders posted per second by the worker, next to pgbench's TPC-B on the same server. */
export async function posting(stack: BenchStack, report: Report, opts: { orders: number; pgbenchSeconds: number }): Promise<void> {
  const { createNetwork } = await gql(
    stack.url,
    `mutation { createNetwork(input: {name: "Posting", currency: "USD"}) { network { id } } }`,
    {},
    stack.config.adminKey,
  );
  const networkId = createNetwork.network.id;
  await withDb(stack.config.databaseUrl, async (db) => {
    await seedSuppliers(db, networkId, 200, 'gift-baskets', ['NYC']);
    const suppliers = (await db.query(`SELECT id FROM members WHERE network_id = $1 AND 'SUPPLIER' = ANY(roles)`, [networkId])).rows.map((r) => r.id);
    const clients = await seedClients(db, networkId, 200);
    await seedFulfilledOrders(db, networkId, opts.orders, clients, suppliers);
    // What fulfilOrder leaves behind: one outbox row per order.
    await db.query(
      `INSERT INTO outbox (queue, name, payload) SELECT 'ledger', 'post-fulfilment', jsonb_build_object('orderId', id) FROM orders WHERE network_id = $1`,
      [networkId],
    );
    // One statement wrote what a hub writes over hours: give the planner the statistics autovacuum would have
    // gathered meanwhile, and flush the seed's pages, so neither lands inside the timed part (pgbenchTps checkpoints before its load too).
    await db.query('ANALYZE orders, order_fees, outbox');
    await db.query('CHECKPOINT');
  });

  await stack.startWorker();
  const seconds = await withDb(stack.config.databaseUrl, async (db) => {
    for (const until = Date.now() + 600_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n, extract(epoch FROM max(created_at) - min(created_at)) AS span
           FROM journal_entries WHERE network_id = $1 AND idempotency_key LIKE 'order:%:fulfil'`,
        [networkId],
      );
      // From the first entry to the last, by the database's clock: the worker's boot is not posting time.
      if (rows[0].n >= opts.orders) return Math.max(Number(rows[0].span), 0.001);
    }
    throw new Error('postings did not finish within 10 minutes');
  });
  await stack.stopWorker();

  const perSecond = opts.orders / seconds;
  const tps = pgbenchTps(stack.config.databaseUrl, opts.pgbenchSeconds, 4);
  report.add({
    name: `posting: ${opts.orders} fulfilled orders posted`,
    value: perSecond,
    unit: 'orders/s',
    baseline: { name: 'pgbench tpcb-like tps (4 clients)', value: tps },
    target: 'ratio >= 1.0',
    met: perSecond / tps >= 1,
  });
  report.add({ name: 'posting: orders/s / TPC-B tps ratio', value: perSecond / tps, unit: '' });
}
