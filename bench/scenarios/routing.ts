import { BenchStack, Report, gql, percentile } from '../support';
import { seedSuppliers, withDb } from '../seed';

/** Time from placeOrder to OFFERED, from the database's own clocks (order created_at to offer offered_at). */
export async function routing(stack: BenchStack, report: Report, opts: { suppliers: number; orders: number }): Promise<void> {
  const { createNetwork } = await gql(
    stack.url,
    `mutation($n: String!) { createNetwork(input: {name: $n, currency: "USD"}) { operatorKey network { id } } }`,
    { n: `Routing ${opts.suppliers}` },
    stack.config.adminKey,
  );
  const op = createNetwork.operatorKey;
  const networkId = createNetwork.network.id;
  const category = `bench-${opts.suppliers}`;
  const seeded = Date.now();
  await withDb(stack.config.databaseUrl, (db) => seedSuppliers(db, networkId, opts.suppliers, category, ['NYC', 'LDN']));
  console.log(`  seeded ${opts.suppliers} suppliers in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  const client = (await gql(stack.url, `mutation { registerMember(input: {name: "Routing Client", roles: [CLIENT]}) { id } }`, {}, op)).registerMember.id;
  const key = (await gql(stack.url, `mutation($id: ID!) { issueApiKey(memberId: $id) }`, { id: client }, op)).issueApiKey;

  const deliverBy = new Date(Date.now() + 7 * 86400_000).toISOString();
  const ids: string[] = [];
  for (let i = 0; i < opts.orders; i++) {
    const { placeOrder } = await gql(
      stack.url,
      `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`,
      {
        input: { category, region: 'NYC', quantity: 1, deliverBy, budget: { amount: '1000.00', currency: 'USD' }, idempotencyKey: `r-${opts.suppliers}-${i}` },
      },
      key,
    );
    ids.push(placeOrder.id);
    await new Promise((r) => setTimeout(r, 25)); // an idle system, one order at a time
  }
  const latencies = await withDb(stack.config.databaseUrl, async (db) => {
    for (const until = Date.now() + 120_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      const { rows } = await db.query(
        `SELECT extract(epoch FROM (min(f.offered_at) - o.created_at)) * 1000 AS ms
           FROM orders o JOIN offers f ON f.order_id = o.id WHERE o.id = ANY($1::uuid[]) GROUP BY o.id, o.created_at`,
        [ids],
      );
      if (rows.length === ids.length) return rows.map((r) => Number(r.ms));
    }
    throw new Error('not every order was offered within 120 s');
  });
  const target = opts.suppliers >= 100_000 ? 200 : 50;
  const p99 = percentile(latencies, 99);
  report.add({ name: `routing: placeOrder to OFFERED p50, ${opts.suppliers} suppliers`, value: percentile(latencies, 50), unit: 'ms' });
  report.add({
    name: `routing: placeOrder to OFFERED p99, ${opts.suppliers} suppliers`,
    value: p99,
    unit: 'ms',
    target: `p99 < ${target} ms`,
    met: p99 < target,
  });
}
