import { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { TandemConfig, loadConfig } from '@tandem/common';
import { dropDatabase, ensureDatabase, migrate } from '@tandem/persistence';
import { clearQueues } from '@tandem/testing';
import { backendPids, freePort, gql, processCpuMs, spawnService, stopService } from './support';

const ADMIN_KEY = 'tnd_admin_bench_key_0123456789';

/**
 * N API and M worker processes on one bench database, each on its own port as
 * behind a load balancer (docs/scaling.md, "Ports"), started as production
 * runs them. `env` adds settings (REDIS_CLUSTER_NODES, a webhook setting).
 */
export class BenchFleet {
  readonly apiUrls: string[] = [];
  private readonly apis: ChildProcess[] = [];
  private readonly workers: ChildProcess[] = [];

  private constructor(
    readonly config: TandemConfig,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(dbName: string, counts: { apis: number; workers: number }, extraEnv: NodeJS.ProcessEnv = {}): Promise<BenchFleet> {
    const base = new URL(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    base.pathname = `/${dbName}`;
    const databaseUrl = base.toString();
    await dropDatabase(databaseUrl);
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      TANDEM_ADMIN_KEY: ADMIN_KEY,
      // A prefix of its own each run: job ids are outbox ids, which a fresh database starts again at 1, and a
      // job id still in Redis from an earlier run would make BullMQ drop the new job as a duplicate.
      TANDEM_QUEUE_PREFIX: `tandem-bench-${dbName}-${Date.now().toString(36)}`,
      LOG_LEVEL: 'warn',
      // The bench's clients are the load: a partner's limits would cap it.
      TANDEM_RATE_LIMIT_PER_SECOND: '0',
      TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND: '0',
      ...extraEnv,
    };
    const fleet = new BenchFleet({ ...loadConfig(env) }, env);
    try {
      await Promise.all([...Array.from({ length: counts.apis }, () => fleet.startApi()), fleet.startWorkers(counts.workers)]);
    } catch (e) {
      await fleet.stop();
      throw e;
    }
    return fleet;
  }

  get url(): string {
    return this.apiUrls[0];
  }

  get databaseUrl(): string {
    return this.config.databaseUrl;
  }

  async startApi(): Promise<void> {
    const port = await freePort();
    this.apis.push(await spawnService('apps/api/src/main.ts', { ...this.env, PORT: String(port) }, port));
    this.apiUrls.push(`http://127.0.0.1:${port}`);
  }

  /** Starts `n` more workers side by side; each answers /health before this returns. */
  async startWorkers(n: number): Promise<void> {
    await Promise.all(
      Array.from({ length: n }, async () => {
        const port = await freePort();
        this.workers.push(await spawnService('apps/worker/src/main.ts', { ...this.env, WORKER_PORT: String(port) }, port));
      }),
    );
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => stopService(w)));
  }

  /** user + system CPU of every API and worker so far, in ms (Linux /proc; 0 elsewhere). */
  cpuMs(): { api: number; worker: number } {
    const sum = (children: ChildProcess[]) => children.reduce((s, c) => s + processCpuMs(c.pid), 0);
    return { api: sum(this.apis), worker: sum(this.workers) };
  }

  /** CPU of the PostgreSQL sessions of the fleet's database while `work` runs, in ms (a session opened meanwhile counts whole). */
  async postgresCpuDuring<T>(work: () => Promise<T>): Promise<{ result: T; postgresMs: number }> {
    const before = new Map((await backendPids(this.databaseUrl)).map((pid) => [pid, processCpuMs(pid)]));
    const result = await work();
    let postgresMs = 0;
    for (const pid of await backendPids(this.databaseUrl)) postgresMs += processCpuMs(pid) - (before.get(pid) ?? 0);
    return { result, postgresMs };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.splice(0), ...this.apis.splice(0)].map((c) => stopService(c)));
    if (this.config.queueStore === 'redis' && !this.config.redisClusterNodes) await clearQueues(this.config.redisUrl, this.config.queuePrefix);
    await dropDatabase(this.config.databaseUrl);
  }

  /** A network, an operator key, and a client with a key of its own. */
  async network(name: string): Promise<{ networkId: string; op: string; clientId: string; clientKey: string }> {
    const { createNetwork } = await gql(
      this.url,
      `mutation($name: String!) { createNetwork(input: {name: $name, currency: "USD"}) { operatorKey network { id } } }`,
      { name },
      ADMIN_KEY,
    );
    const op = createNetwork.operatorKey;
    const clientId = (await gql(this.url, `mutation { registerMember(input: {name: "Bench Client", roles: [CLIENT]}) { id } }`, {}, op)).registerMember.id;
    const clientKey = (await gql(this.url, `mutation($id: ID!) { issueApiKey(memberId: $id) }`, { id: clientId }, op)).issueApiKey;
    return { networkId: createNetwork.network.id, op, clientId, clientKey };
  }

  /** A key for an existing member. */
  async memberKey(op: string, memberId: string): Promise<string> {
    return (await gql(this.url, `mutation($id: ID!) { issueApiKey(memberId: $id) }`, { id: memberId }, op)).issueApiKey;
  }
}

export interface LoadResult {
  requests: number;
  /** How long the load ran. */
  seconds: number;
  /** Requests answered 2xx without a GraphQL error, per second of the run. */
  perSecond: number;
  errors: number;
  p50: number;
  p99: number;
}

/**
 * `connections` clients spread evenly over `urls`, all at once, for `seconds`
 * (or until `amount` requests in all). Every request's body from makeBody; a
 * body with "errors" counts as an error, not as throughput.
 */
export async function loadAcross(
  urls: string[],
  key: string,
  makeBody: () => string,
  opts: { connections: number; seconds?: number; amount?: number },
): Promise<LoadResult> {
  let graphqlErrors = 0;
  const started = Date.now();
  const runs = await Promise.all(
    urls.map((url) =>
      autocannon({
        url: `${url}/graphql`,
        method: 'POST',
        connections: Math.max(1, Math.round(opts.connections / urls.length)),
        ...(opts.amount ? { amount: Math.ceil(opts.amount / urls.length) } : { duration: opts.seconds ?? 10 }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        requests: [{ setupRequest: (req) => ({ ...req, body: makeBody() }) }],
        // Reads each body so that a GraphQL error is not counted as a served request.
        setupClient: (client) =>
          client.on('body', (body: Buffer) => {
            if (body.includes('"errors"')) graphqlErrors++;
          }),
      }),
    ),
  );
  const seconds = (Date.now() - started) / 1000;
  const requests = runs.reduce((s, r) => s + r.requests.total, 0);
  const failed = runs.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0) + graphqlErrors;
  return {
    requests,
    seconds,
    perSecond: (requests - failed) / seconds,
    errors: failed,
    p50: Math.max(...runs.map((r) => r.latency.p50)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
  };
}

/** A placeOrder body with a fresh idempotency key each time (gift baskets in NYC, as the seeded suppliers offer). */
export function placeOrderBodies(tag: string): () => string {
  const deliverBy = new Date(Date.now() + 7 * 86400_000).toISOString();
  let n = 0;
  return () =>
    JSON.stringify({
      query: `mutation($input: OrderInput!) { placeOrder(input: $input) { id status } }`,
      variables: {
        input: {
          category: 'gift-baskets',
          region: 'NYC',
          quantity: 1,
          deliverBy,
          budget: { amount: '500.00', currency: 'USD' },
          idempotencyKey: `${tag}-${n++}`,
        },
      },
    });
}
