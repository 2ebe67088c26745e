import os from 'node:os';
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { Client } from 'pg';
import { BenchFleet, LoadResult, loadAcross, placeOrderBodies } from '../fleet';
import { seedAcceptedOrders, seedSuppliers, withDb } from '../seed';
import { Report, gql } from '../support';

const ENDPOINTS = 10;
/** Test deliveries queued while the worker is stopped, then drained by it alone: the delivery path without routing or postings. */
const DRAIN_DELIVERIES = 3_000;

/** A loopback HTTP receiver that answers 200 at once and counts what it got. */
class CountingReceiver {
  received = 0;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<CountingReceiver> {
    const server = createServer();
    const receiver = new CountingReceiver(server);
    server.on('request', (req, res) => {
      req.resume();
      req.on('end', () => {
        receiver.received++;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface Side {
  label: string;
  clientKey: string;
  supplierKey: string;
  /** ACCEPTED orders not yet fulfilled by the load, taken in turn. */
  accepted: string[];
}

/** A network with suppliers to route to and `fulfils` accepted orders of one supplier. */
async function side(fleet: BenchFleet, label: string, fulfils: number): Promise<Side & { networkId: string; op: string }> {
  const net = await fleet.network(`Webhooks ${label}`);
  const supplierId = (await gql(fleet.url, `mutation { registerMember(input: {name: "Fulfilling Supplier", roles: [SUPPLIER]}) { id } }`, {}, net.op))
    .registerMember.id;
  const supplierKey = await fleet.memberKey(net.op, supplierId);
  const accepted = await withDb(fleet.databaseUrl, async (db) => {
    await seedSuppliers(db, net.networkId, 50, 'gift-baskets', ['NYC']);
    return seedAcceptedOrders(db, net.networkId, fulfils, net.clientId, supplierId, `webhooks-${label}`);
  });
  return { label, networkId: net.networkId, op: net.op, clientKey: net.clientKey, supplierKey, accepted };
}

/** fulfilOrder of the side's next `n` accepted orders, 32 clients. */
function fulfilLoad(fleet: BenchFleet, s: Side, n: number): Promise<LoadResult> {
  const ids = s.accepted.splice(0, n);
  let i = 0;
  const body = () => JSON.stringify({ query: `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`, variables: { id: ids[i++ % ids.length] } });
  return loadAcross(fleet.apiUrls, s.supplierKey, body, { connections: 32, amount: ids.length });
}

/**
 * Waits until nothing is left behind the load: no order routing, every
 * fulfilled order posted, no job due in the outbox, every delivery made.
 * Returns the seconds it waited (the next load then starts from a quiet stack).
 */
async function settled(db: Client): Promise<number> {
  const started = Date.now();
  for (;;) {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM orders WHERE status = 'ROUTING')
            + (SELECT count(*) FROM orders o WHERE o.status = 'FULFILLED'
                  AND NOT EXISTS (SELECT 1 FROM journal_entries j WHERE j.order_id = o.id))
            + (SELECT count(*) FROM outbox WHERE relayed_at IS NULL AND run_at <= now())
            + (SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING') AS left`,
    );
    if (Number(rows[0].left) === 0) return (Date.now() - started) / 1000;
    if (Date.now() - started > 300_000) throw new Error(`the stack did not settle within 5 minutes (${rows[0].left} left)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The delivery path alone: with the worker stopped, `n` sendTestWebhook
 * deliveries spread over the endpoints wait in the outbox; then a fresh
 * worker drains them. Deliveries per second and the worker's and
 * PostgreSQL's CPU per delivery, counted from the moment the worker answers
 * /health (a few made before that are left out of both).
 */
async function drain(fleet: BenchFleet, db: Client, op: string, endpointIds: string[], n: number) {
  await fleet.stopWorkers();
  let i = 0;
  const body = () =>
    JSON.stringify({ query: `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, variables: { id: endpointIds[i++ % endpointIds.length] } });
  const queued = await loadAcross(fleet.apiUrls, op, body, { connections: 32, amount: n });
  const succeeded = async () => (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'SUCCEEDED'`)).rows[0].n as number;
  const before = await succeeded();
  await fleet.startWorkers(1);
  const started = Date.now();
  const worker0 = fleet.cpuMs().worker;
  const done0 = await succeeded();
  const { postgresMs } = await fleet.postgresCpuDuring(() => settled(db));
  const seconds = (Date.now() - started) / 1000;
  const made = before + queued.requests - queued.errors - done0;
  return { made, seconds, perSecond: made / seconds, workerMsPer: (fleet.cpuMs().worker - worker0) / made, postgresMsPer: postgresMs / made };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Issue 17's overhead: placeOrder (intake) and fulfilOrder throughput of a
 * network with 10 operator endpoints subscribed to everything ("*", real
 * loopback receivers) against a network with none, on the same API and worker
 * in the same run. The two alternate (without, with; then with, without) so
 * that the machine's changing load falls on both alike.
 */
export async function webhooks(report: Report, opts: { seconds: number; fulfils: number; rounds: number }): Promise<void> {
  report.add({ name: 'webhooks: load average (1 min) at start', value: os.loadavg()[0], unit: `on ${os.cpus().length} cores` });
  const receivers = await Promise.all(Array.from({ length: ENDPOINTS }, () => CountingReceiver.start()));
  const fleet = await BenchFleet.start('tandem_bench_webhooks', { apis: 1, workers: 1 }, { TANDEM_WEBHOOK_ALLOW_PRIVATE: 'true' });
  try {
    const without = await side(fleet, 'without', opts.fulfils * opts.rounds + 50);
    const hooked = await side(fleet, 'with', opts.fulfils * opts.rounds);
    const endpointIds: string[] = [];
    for (const r of receivers) {
      const made = await gql(
        fleet.url,
        `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
        { input: { url: r.url, eventTypes: ['*'] } },
        hooked.op,
      );
      endpointIds.push(made.createWebhookEndpoint.endpoint.id);
    }
    // Warm-up, not counted: the first seconds of a fresh process (JIT, caches, pools) would fall on whichever side runs first.
    await loadAcross(fleet.apiUrls, without.clientKey, placeOrderBodies('warm-up'), { connections: 32, seconds: 3 });
    await fulfilLoad(fleet, without, Math.min(50, opts.fulfils));
    const intake: Record<string, number[]> = { without: [], with: [] };
    const fulfil: Record<string, number[]> = { without: [], with: [] };
    const intakeDone: Record<string, number[]> = { without: [], with: [] };
    const fulfilDone: Record<string, number[]> = { without: [], with: [] };
    let deliveries = 0;
    await withDb(fleet.databaseUrl, async (db) => {
      await settled(db);
      for (let round = 0; round < opts.rounds; round++) {
        const order = round % 2 === 0 ? [without, hooked] : [hooked, without];
        for (const s of order) {
          const r = await loadAcross(fleet.apiUrls, s.clientKey, placeOrderBodies(`${s.label}-${round}`), { connections: 32, seconds: opts.seconds });
          const wait = await settled(db);
          intake[s.label].push(r.perSecond);
          intakeDone[s.label].push((r.requests - r.errors) / (r.seconds + wait));
          console.log(
            `  intake ${s.label} endpoints, round ${round + 1}: ${r.perSecond.toFixed(1)} req/s (${r.errors} failed), all routed and delivered ${wait.toFixed(1)} s later`,
          );
        }
        for (const s of order) {
          const r = await fulfilLoad(fleet, s, opts.fulfils);
          const wait = await settled(db);
          fulfil[s.label].push(r.perSecond);
          fulfilDone[s.label].push((r.requests - r.errors) / (r.seconds + wait));
          console.log(
            `  fulfil ${s.label} endpoints, round ${round + 1}: ${r.perSecond.toFixed(1)} req/s (${r.errors} failed), all posted and delivered ${wait.toFixed(1)} s later`,
          );
        }
      }
      const d = await drain(fleet, db, hooked.op, endpointIds, DRAIN_DELIVERIES);
      console.log(`  drain: ${d.made} deliveries in ${d.seconds.toFixed(1)} s`);
      report.add({ name: `webhooks: deliveries drained by one worker (${d.made} to ${ENDPOINTS} endpoints)`, value: d.perSecond, unit: 'deliveries/s' });
      report.add({ name: 'webhooks: worker CPU per delivery (drain)', value: d.workerMsPer, unit: 'ms' });
      report.add({ name: 'webhooks: PostgreSQL CPU per delivery (drain)', value: d.postgresMsPer, unit: 'ms' });
      deliveries = (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'SUCCEEDED'`)).rows[0].n;
    });
    for (const [what, figures] of [
      ['placeOrder (intake)', intake],
      ['fulfilOrder', fulfil],
      ['placeOrder until routed and delivered', intakeDone],
      ['fulfilOrder until posted and delivered', fulfilDone],
    ] as const) {
      const base = mean(figures.without);
      const withHooks = mean(figures.with);
      // Each round's pair ran back to back: their ratio is the least disturbed by the machine's drifting load.
      const ratios = figures.with.map((w, i) => w / figures.without[i]).sort((x, y) => x - y);
      const medianRatio = ratios[Math.floor(ratios.length / 2)];
      report.add({
        name: `webhooks: ${what} with ${ENDPOINTS} endpoints on "*" (32 clients, mean of ${opts.rounds} rounds)`,
        value: withHooks,
        unit: 'req/s',
        baseline: { name: 'without endpoints req/s', value: base },
        target: 'within 10 %',
        met: withHooks >= 0.9 * base,
      });
      report.add({
        name: `webhooks: ${what} with / without, median of the rounds' ratios`,
        value: medianRatio,
        unit: `(rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
      });
    }
    const received = receivers.reduce((sum, r) => sum + r.received, 0);
    report.add({ name: 'webhooks: deliveries SUCCEEDED / requests the receivers got', value: deliveries, unit: `/ ${received}` });
  } finally {
    await fleet.stop();
    await Promise.all(receivers.map((r) => r.stop()));
  }
  report.add({ name: 'webhooks: load average (1 min) at end', value: os.loadavg()[0], unit: `on ${os.cpus().length} cores` });
}
