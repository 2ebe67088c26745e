import { INestApplication } from '@nestjs/common';
import { TandemConfig } from '@tandem/common';
import { TEST_ADMIN_KEY, clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { createApiApp } from '../../apps/api/src/api.app';
import { createWorkerApp } from '../../apps/worker/src/worker.app';

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: unknown[] }[];
}

/** A running Tandem for one suite: API and worker on their own database and queue prefix. */
export class TandemHarness {
  readonly adminKey = TEST_ADMIN_KEY;
  private worker?: INestApplication;

  private constructor(
    readonly config: TandemConfig,
    readonly api: INestApplication,
    readonly url: string,
    private readonly dropDb: () => Promise<void>,
  ) {}

  static async start(label: string, opts: { worker?: boolean; config?: Partial<TandemConfig> } = {}): Promise<TandemHarness> {
    const db = await createTestDatabase(label);
    const config = testConfig(db.url, opts.config);
    const api = await createApiApp(config);
    await api.listen(0, '127.0.0.1');
    const address = api.getHttpServer().address() as { port: number };
    const harness = new TandemHarness(config, api, `http://127.0.0.1:${address.port}`, db.drop);
    if (opts.worker !== false) await harness.startWorker();
    return harness;
  }

  async startWorker(): Promise<void> {
    if (this.worker) return;
    this.worker = await createWorkerApp(this.config);
    await this.worker.init();
  }

  /** Closes the worker as a deploy or crash would; jobs left in Redis are picked up by the next one. */
  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  async stop(): Promise<void> {
    await this.stopWorker();
    await this.api.close();
    await clearQueues(this.config.redisUrl, this.config.queuePrefix);
    await this.dropDb();
  }

  /** Posts a GraphQL operation as a partner's client would. */
  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, key?: string | null): Promise<GqlResult<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    const res = await fetch(`${this.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json().catch(() => ({}))) as GqlResult<T>;
    return { ...body, status: res.status };
  }

  /** Like gql, but fails the test on any error and returns data. */
  async ok<T = any>(query: string, variables: Record<string, unknown> = {}, key?: string | null): Promise<T> {
    const r = await this.gql<T>(query, variables, key);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  /** The error code of the first error, or undefined when the operation succeeded. */
  async code(query: string, variables: Record<string, unknown> = {}, key?: string | null): Promise<string | undefined> {
    const r = await this.gql(query, variables, key);
    return r.errors?.[0]?.extensions?.code;
  }
}
