import { TEST_ADMIN_KEY, clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { TandemConfig } from '@tandem/common';
import { ServiceProcess, freePort, postGraphql, probeSql, spawnService } from './processes';
import type { GqlResult } from './tandem';

/** One API process: its URL besides its process. */
export interface ApiProcess {
  service: ServiceProcess;
  url: string;
}

/**
 * Several API and worker processes on one test database and one queue prefix,
 * each started the way tools/start.ts starts them (its own port each, as behind
 * a load balancer). Requests go to the APIs in turn unless one is named.
 */
export class ProcessFleet {
  readonly adminKey = TEST_ADMIN_KEY;
  readonly apis: ApiProcess[] = [];
  readonly workers: ServiceProcess[] = [];
  private next = 0;

  private constructor(
    readonly config: TandemConfig,
    private readonly dropDb: () => Promise<void>,
  ) {}

  static async start(label: string, counts: { apis: number; workers: number }): Promise<ProcessFleet> {
    const db = await createTestDatabase(label);
    const fleet = new ProcessFleet(testConfig(db.url), db.drop);
    try {
      // Started side by side, as npm start does; each waits for its own /health.
      await Promise.all([
        ...Array.from({ length: counts.apis }, (_, i) => fleet.startApi(`api-${i + 1}`)),
        ...Array.from({ length: counts.workers }, (_, i) => fleet.startWorker(`worker-${i + 1}`)),
      ]);
    } catch (e) {
      await fleet.stop();
      throw e;
    }
    return fleet;
  }

  get databaseUrl(): string {
    return this.config.databaseUrl;
  }

  async startApi(name: string): Promise<ApiProcess> {
    const port = await freePort();
    const service = await this.spawn(name, 'apps/api/src/main.ts', port, { PORT: String(port) });
    const api = { service, url: `http://127.0.0.1:${port}` };
    this.apis.push(api);
    return api;
  }

  async startWorker(name: string): Promise<ServiceProcess> {
    const port = await freePort();
    const worker = await this.spawn(name, 'apps/worker/src/main.ts', port, { WORKER_PORT: String(port) });
    this.workers.push(worker);
    return worker;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis.map((a) => a.service), ...this.workers].map((s) => s.stop()));
    await clearQueues(this.config);
    await this.dropDb();
  }

  /** A GraphQL operation on API `api` (0-based), or on the next API in turn. */
  gql<T = any>(query: string, variables: Record<string, unknown> = {}, key?: string | null, api?: number): Promise<GqlResult<T>> {
    return postGraphql<T>(this.apis[api ?? this.next++ % this.apis.length].url, query, variables, key);
  }

  async ok<T = any>(query: string, variables: Record<string, unknown> = {}, key?: string | null, api?: number): Promise<T> {
    const r = await this.gql<T>(query, variables, key, api);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  async code(query: string, variables: Record<string, unknown> = {}, key?: string | null, api?: number): Promise<string | undefined> {
    return (await this.gql(query, variables, key, api)).errors?.[0]?.extensions?.code;
  }

  /** Runs SQL on the fleet's database on a connection of its own. */
  sql<R = any>(text: string, values: unknown[] = []): Promise<R[]> {
    return probeSql<R>(this.databaseUrl, text, values);
  }

  private spawn(name: string, entry: string, port: number, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    return spawnService({ name, entry, port, env, databaseUrl: this.databaseUrl, queuePrefix: this.config.queuePrefix, healthyWithinMs: 90_000 });
  }
}
