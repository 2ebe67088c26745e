import autocannon from 'autocannon';
import { BenchStack, CpuMs, Report, cpuPer, fmt, gql } from '../support';
import { seedSuppliers, withDb } from '../seed';

/** 32 connections for `seconds`; makeBody builds each request's body (a fresh idempotency key each). */
function load(url: string, key: string, makeBody: () => string, seconds: number) {
  return autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections: 32,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [{ setupRequest: (req) => ({ ...req, body: makeBody() }) }],
  });
}

/** placeOrder throughput and latency at 32 concurrent clients, against the same server answering { __typename }. */
export async function intake(stack: BenchStack, report: Report, opts: { seconds: number }): Promise<void> {
  const { createNetwork } = await gql(
    stack.url,
    `mutation { createNetwork(input: {name: "Intake", currency: "USD"}) { operatorKey network { id } } }`,
    {},
    stack.config.adminKey,
  );
  const op = createNetwork.operatorKey;
  await withDb(stack.config.databaseUrl, (db) => seedSuppliers(db, createNetwork.network.id, 50, 'gift-baskets', ['NYC']));
  const client = (await gql(stack.url, `mutation { registerMember(input: {name: "Bench Client", roles: [CLIENT]}) { id } }`, {}, op)).registerMember.id;
  const key = (await gql(stack.url, `mutation($id: ID!) { issueApiKey(memberId: $id) }`, { id: client }, op)).issueApiKey;

  const deliverBy = new Date(Date.now() + 7 * 86400_000).toISOString();
  let n = 0;
  const place = () =>
    JSON.stringify({
      query: `mutation($input: OrderInput!) { placeOrder(input: $input) { id status } }`,
      variables: {
        input: {
          category: 'gift-baskets',
          region: 'NYC',
          quantity: 1,
          deliverBy,
          budget: { amount: '500.00', currency: 'USD' },
          idempotencyKey: `intake-${n++}`,
        },
      },
    });
  const floorBody = () => JSON.stringify({ query: '{ __typename }' });
  // Warm-up, not measured: the first requests of a fresh process are compiled code and cold pools, and
  // in a short (--quick) run they would weigh on the CPU per request of each figure. The worker routes
  // the warm-up's orders before anything is measured, so none of that work lands in the floor's figures.
  await load(stack.url, key, floorBody, 1);
  await load(stack.url, key, place, 1);
  await routedAll(stack, 60_000);

  const { result: floor, cpuMs: floorCpu } = await stack.cpuDuring(() => load(stack.url, key, floorBody, opts.seconds));
  const { result: orders, cpuMs: ordersCpu } = await stack.cpuDuring(() =>
    stack.profileApi('intake-placeOrder', () => stack.profileWorker('intake-worker', () => load(stack.url, key, place, opts.seconds))),
  );
  console.log(`  placeOrder: ${orders.requests.total} requests, ${orders.non2xx} non-2xx, ${orders.errors} errors, ${orders.timeouts} timeouts`);
  // A figure made of refusals measures nothing: say so rather than print a ratio.
  for (const [what, r] of [
    ['floor', floor],
    ['placeOrder', orders],
  ] as const) {
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`intake: ${r.non2xx} non-2xx answers and ${r.errors} errors in the ${what} run`);
  }

  const ratio = orders.requests.average / floor.requests.average;
  report.add({
    name: 'intake: placeOrder throughput (32 clients)',
    value: orders.requests.average,
    unit: 'req/s',
    baseline: { name: '{ __typename } req/s', value: floor.requests.average },
    target: 'ratio >= 0.5',
    met: ratio >= 0.5,
  });
  report.add({ name: 'intake: placeOrder / floor ratio', value: ratio, unit: '' });
  report.add({ name: 'intake: placeOrder latency p50', value: orders.latency.p50, unit: 'ms', baseline: { name: 'floor p50 ms', value: floor.latency.p50 } });
  report.add({ name: 'intake: placeOrder latency p99', value: orders.latency.p99, unit: 'ms', baseline: { name: 'floor p99 ms', value: floor.latency.p99 } });
  // Where a request's cost is: CPU per request of each process, beside the floor's (the worker routes the orders meanwhile).
  const perRequest = (cpu: CpuMs, total: number, part: keyof CpuMs) => (total > 0 ? cpu[part] / total : NaN);
  for (const part of ['api', 'postgres', 'worker', 'redis'] as const) {
    report.add({
      name: `intake: ${part} CPU per placeOrder`,
      value: perRequest(ordersCpu, orders.requests.total, part),
      unit: 'ms',
      baseline: { name: 'per { __typename } ms', value: perRequest(floorCpu, floor.requests.total, part) },
    });
  }
  // How far routing fell behind the intake: the orders of the run the worker had not offered yet when the load
  // ended, and how long it then took to route them. Read at once, before anything else runs.
  const behind = await ordersRouting(stack);
  const { result: drainMs, cpuMs: drainCpu } = await stack.cpuDuring(() => stack.profileWorker('intake-drain', () => routedAll(stack, 600_000)));
  report.add({
    name: 'intake: orders still in ROUTING when the placeOrder load ended (diagnostic)',
    value: behind,
    unit: `of ${orders.requests.total} placed; routed ${fmt(drainMs / 1000)} s later`,
  });
  if (behind > 0) report.add({ name: 'intake: CPU per order routed after the load (diagnostic)', ...cpuPer(drainCpu, behind) });

  // Diagnostic, not the row: the same load with the worker stopped, so the two cores serve the API and
  // PostgreSQL's intake alone. The orders wait in the outbox and are routed once the worker is back.
  await stack.stopWorker();
  const { result: alone, cpuMs: aloneCpu } = await stack.cpuDuring(() => load(stack.url, key, place, opts.seconds));
  await stack.startWorker();
  await routedAll(stack, 600_000);
  report.add({
    name: 'intake: placeOrder / floor ratio with the worker stopped (diagnostic: API and PostgreSQL alone)',
    value: alone.requests.average / floor.requests.average,
    unit: `(${fmt(alone.requests.average)} req/s; CPU per placeOrder API ${fmt(perRequest(aloneCpu, alone.requests.total, 'api'))} / PostgreSQL ${fmt(perRequest(aloneCpu, alone.requests.total, 'postgres'))} ms)`,
  });

  // The ratio one API process would reach with PostgreSQL and the worker on cores of their own (each request
  // then costs the API only its own CPU): floor API CPU per request over placeOrder's. Not the measured ratio above.
  report.add({
    name: 'intake: API-bound ratio (floor API CPU / placeOrder API CPU per request)',
    value: perRequest(floorCpu, floor.requests.total, 'api') / perRequest(ordersCpu, orders.requests.total, 'api'),
    unit: '',
  });
}

/** Orders the worker has not offered yet. */
function ordersRouting(stack: BenchStack): Promise<number> {
  return withDb(stack.config.databaseUrl, async (db) => {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'ROUTING'`);
    return rows[0].n as number;
  });
}

/** Waits until no order is in ROUTING (at most `timeoutMs`); returns how long that took. */
async function routedAll(stack: BenchStack, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while ((await ordersRouting(stack)) > 0) {
    if (Date.now() - start > timeoutMs) throw new Error(`intake: orders still in ROUTING after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return Date.now() - start;
}
