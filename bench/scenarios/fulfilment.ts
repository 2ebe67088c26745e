import autocannon from 'autocannon';
import { BenchStack, Report, cpuPer, gql, percentile } from '../support';
import { seedAcceptedOrders, seedClients, seedSuppliers, withDb } from '../seed';

/**
 * fulfilOrder → posted: suppliers' fulfilOrder calls arrive over HTTP at a steady
 * rate (open loop: autocannon's overallRate, whatever the answers' latency), with
 * the worker posting meanwhile. The lag of an order is its journal entry's
 * created_at less its fulfilled_at, both by the database's clock.
 */
export async function fulfilment(stack: BenchStack, report: Report, opts: { perSecond: number; seconds: number }): Promise<void> {
  const { createNetwork } = await gql(
    stack.url,
    `mutation { createNetwork(input: {name: "Fulfilment", currency: "USD"}) { operatorKey network { id } } }`,
    {},
    stack.config.adminKey,
  );
  const op = createNetwork.operatorKey;
  const networkId = createNetwork.network.id;
  const client = (await gql(stack.url, `mutation { registerMember(input: {name: "Fulfilment Client", roles: [CLIENT]}) { id } }`, {}, op)).registerMember.id;
  const total = opts.perSecond * opts.seconds;
  // Eight suppliers, each fulfilling its own accepted orders with its own key, as a real network's would.
  const suppliers = 8;
  const perSupplier = Math.ceil(total / suppliers);
  const work = await withDb(stack.config.databaseUrl, async (db) => {
    await seedSuppliers(db, networkId, suppliers, 'gift-baskets', ['NYC']);
    const ids: string[] = (await db.query(`SELECT id FROM members WHERE network_id = $1 AND 'SUPPLIER' = ANY(roles) ORDER BY id`, [networkId])).rows.map(
      (r) => r.id,
    );
    const seeded: { supplierId: string; orders: string[] }[] = [];
    for (const [i, id] of ids.entries())
      seeded.push({ supplierId: id, orders: await seedAcceptedOrders(db, networkId, perSupplier, client, id, `fulfil-${i}`) });
    return seeded;
  });
  const keys = await Promise.all(
    work.map(async (w) => (await gql(stack.url, `mutation($id: ID!) { issueApiKey(memberId: $id) }`, { id: w.supplierId }, op)).issueApiKey),
  );

  const started = new Date();
  const load = () =>
    work.map((w, s) => {
      let i = 0;
      return autocannon({
        url: `${stack.url}/graphql`,
        method: 'POST',
        connections: 8,
        overallRate: opts.perSecond / suppliers,
        amount: perSupplier,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[s]}` },
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ query: `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`, variables: { id: w.orders[i++] } }),
            }),
          },
        ],
      });
    });
  const { result: results, cpuMs } = await stack.cpuDuring(() => stack.profileApi('fulfilment-fulfilOrder', () => Promise.all(load())));
  const sent = results.reduce((n, r) => n + r.requests.total, 0);
  const refused = results.reduce((n, r) => n + r.non2xx + r.errors, 0);
  if (refused > 0) throw new Error(`fulfilment: ${refused} non-2xx answers or errors of ${sent} fulfilOrder requests`);
  const sendSeconds = (Date.now() - started.getTime()) / 1000;

  const lags = await postedLags(stack.config.databaseUrl, networkId, sent);
  const p99 = percentile(lags, 99);
  report.add({ name: `fulfilment: fulfilOrder rate reached (asked ${opts.perSecond}/s, ${sent} orders)`, value: sent / sendSeconds, unit: 'req/s' });
  const latency = results.map((r) => r.latency.p99);
  report.add({ name: 'fulfilment: CPU per fulfilOrder', ...cpuPer(cpuMs, sent) });
  report.add({ name: 'fulfilment: fulfilOrder answer p99 (worst supplier)', value: Math.max(...latency), unit: 'ms' });
  report.add({ name: 'fulfilment: fulfilOrder → posted lag p50', value: percentile(lags, 50), unit: 'ms' });
  report.add({ name: 'fulfilment: fulfilOrder → posted lag p99', value: p99, unit: 'ms', target: 'p99 ≤ 2,000 ms', met: p99 <= 2000 });
  report.add({ name: 'fulfilment: fulfilOrder → posted lag max', value: Math.max(...lags), unit: 'ms' });

  // The posting side alone at the asked rate: what a fulfilOrder commits (the order FULFILLED, its
  // post-fulfilment outbox row, the relay's notification), written by SQL every 100 ms, so the rate
  // holds whatever the API could answer on this machine.
  const network2: string = (
    await gql(stack.url, `mutation { createNetwork(input: {name: "Fulfilment paced", currency: "USD"}) { network { id } } }`, {}, stack.config.adminKey)
  ).createNetwork.network.id;
  const paced = await withDb(stack.config.databaseUrl, async (db) => {
    await seedSuppliers(db, network2, suppliers, 'gift-baskets', ['NYC']);
    const ids: string[] = (await db.query(`SELECT id FROM members WHERE network_id = $1`, [network2])).rows.map((r) => r.id as string);
    const [clientId] = await seedClients(db, network2, 1);
    const orders: string[] = [];
    for (const [i, id] of ids.entries()) orders.push(...(await seedAcceptedOrders(db, network2, perSupplier, clientId, id, `paced-${i}`)));
    const tick = 100;
    const perTick = Math.round((opts.perSecond * tick) / 1000);
    const t0 = Date.now();
    for (let k = 0; k * perTick < total; k++) {
      const wait = t0 + k * tick - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await db.query(
        `WITH f AS (UPDATE orders SET status = 'FULFILLED', fulfilled_at = clock_timestamp(), updated_at = now() WHERE id = ANY($1::uuid[]) RETURNING id)
         INSERT INTO outbox (queue, name, payload) SELECT 'ledger', 'post-fulfilment', jsonb_build_object('orderId', id) FROM f`,
        [orders.slice(k * perTick, (k + 1) * perTick)],
      );
      // The API's OutboxDoorbell rings after the commit.
      await db.query(`SELECT pg_notify('tandem_outbox', '')`);
    }
    return { networkId: network2, rate: total / ((Date.now() - t0) / 1000) };
  });
  const pacedLags = await postedLags(stack.config.databaseUrl, paced.networkId, total);
  const pacedP99 = percentile(pacedLags, 99);
  report.add({ name: `fulfilment, posting side at a paced ${opts.perSecond}/s: rate written`, value: paced.rate, unit: 'fulfilments/s' });
  report.add({ name: 'fulfilment, posting side: fulfilled → posted lag p50', value: percentile(pacedLags, 50), unit: 'ms' });
  report.add({
    name: 'fulfilment, posting side: fulfilled → posted lag p99',
    value: pacedP99,
    unit: 'ms',
    target: 'p99 ≤ 2,000 ms',
    met: pacedP99 <= 2000,
  });
  report.add({ name: 'fulfilment, posting side: fulfilled → posted lag max', value: Math.max(...pacedLags), unit: 'ms' });
}

/** Each fulfilled order's lag from fulfilled_at to its fulfilment entry, once `n` are posted (120 s at most). */
function postedLags(databaseUrl: string, networkId: string, n: number): Promise<number[]> {
  return withDb(databaseUrl, async (db) => {
    for (const until = Date.now() + 120_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      const { rows } = await db.query(
        `SELECT extract(epoch FROM (j.created_at - o.fulfilled_at)) * 1000 AS ms
           FROM orders o JOIN journal_entries j ON j.order_id = o.id AND j.idempotency_key = 'order:' || o.id || ':fulfil'
          WHERE o.network_id = $1 AND o.status = 'FULFILLED'`,
        [networkId],
      );
      if (rows.length >= n) return rows.map((r) => Number(r.ms));
    }
    throw new Error('fulfilment: not every fulfilled order was posted within 120 s');
  });
}
