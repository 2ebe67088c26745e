import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { TandemConfig } from '@tandem/common';
import { TEST_ADMIN_KEY, clearQueues, createTestDatabase, eventually, testConfig } from '@tandem/testing';
import { createApiApp } from '../apps/api/src/api.app';
import { createWorkerApp } from '../apps/worker/src/worker.app';
import { Q } from './support/community';
import { postGraphql, probeSql } from './support/processes';

const STATEMENTS = `query($m: ID!) { statements(memberId: $m) { status net { amount currency } } }`;
const HISTORY = `query($m: ID!) { healthHistory(memberId: $m) { score atRisk } }`;
const RELATIONSHIPS = `{ relationships { totalCount edges { node { score } } } }`;
const INSIGHT = `{ networkInsight(months: 1) { membership { role joined } } }`;

/** A running API on `config`, with its URL. */
async function startApi(config: TandemConfig): Promise<{ app: INestApplication; url: string }> {
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, key: string): Promise<T> {
  const r = await postGraphql<T>(url, query, variables, key);
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

/** SQL on the server's maintenance database (CREATE DATABASE, ALTER DATABASE). */
async function maintenance(databaseUrl: string, text: string): Promise<void> {
  const u = new URL(databaseUrl);
  u.pathname = '/postgres';
  const client = new Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const dbName = (url: string) => new URL(url).pathname.slice(1);

/**
 * DATABASE_READ_URL (docs/scaling.md): the reads that may lag (statements
 * list, health history and events, relationships list, network insight) go to
 * the read database, everything else to the primary. The "replica" here is a
 * copy of the primary taken earlier, then given rows the primary never had and
 * made read-only: what the API answers shows which database it read, and a
 * write sent there would fail.
 */
describe('DATABASE_READ_URL', () => {
  let primary: { url: string; drop: () => Promise<void> };
  let replicaUrl = '';
  let api: { app: INestApplication; url: string } | undefined;
  let apiUrl = '';
  let config: TandemConfig;
  let op = '';
  let networkId = '';
  let earlyId = '';

  beforeAll(async () => {
    primary = await createTestDatabase('read-url');
    // The network and one client exist before the copy is taken.
    const seed = await startApi(testConfig(primary.url));
    try {
      const { createNetwork } = await ok(seed.url, Q.createNetwork, { input: { name: 'Replicated', currency: 'USD' } }, TEST_ADMIN_KEY);
      op = createNetwork.operatorKey;
      networkId = createNetwork.network.id;
      earlyId = (await ok(seed.url, Q.registerMember, { input: { name: 'Early Client', roles: ['CLIENT'] } }, op)).registerMember.id;
    } finally {
      await seed.app.close();
    }
    const replica = new URL(primary.url);
    replica.pathname = `/${dbName(primary.url)}_replica`;
    replicaUrl = replica.toString();
    // A template must have no other session: the closed API's last connections may take a moment to go.
    await eventually(
      () =>
        maintenance(primary.url, `CREATE DATABASE "${dbName(replicaUrl)}" TEMPLATE "${dbName(primary.url)}"`).then(
          () => true,
          (e: Error) => (/being accessed by other users/.test(e.message) ? false : Promise.reject(e)),
        ),
      20_000,
      100,
    );
    // Rows only the read database has, as if the primary's were not yet visible there (or the other way round).
    const runId = randomUUID();
    await probeSql(replicaUrl, `INSERT INTO settlement_runs (id, network_id) VALUES ($1, $2)`, [runId, networkId]);
    await probeSql(
      replicaUrl,
      `INSERT INTO statements (id, run_id, network_id, member_id, currency, period_start, period_end, status, orders_as_client, orders_as_supplier,
                               purchases_minor, client_fees_minor, earned_business_minor, supplier_fees_minor, partner_shares_minor, net_minor)
       VALUES ($1, $2, $3, $4, 'USD', now() - interval '7 days', now(), 'DUE', 1, 0, 4000, 200, 0, 0, 0, -4200)`,
      [randomUUID(), runId, networkId, earlyId],
    );
    await probeSql(
      replicaUrl,
      `INSERT INTO health_snapshots (member_id, network_id, computed_at, score, credibility, reliability, intimacy, self_orientation, trust,
                                     value_to_member_minor, value_to_hub_minor, currency, at_risk)
       VALUES ($1, $2, now(), 77.5, 5, 5, 5, 2, 7.5, 0, 0, 'USD', false)`,
      [earlyId, networkId],
    );
    await probeSql(
      replicaUrl,
      `INSERT INTO health_relationships (member_id, network_id, roles, score, at_risk, health, computed_at)
       VALUES ($1, $2, ARRAY['CLIENT'], 61.5, false, '{}'::jsonb, now())`,
      [earlyId, networkId],
    );
    await maintenance(primary.url, `ALTER DATABASE "${dbName(replicaUrl)}" SET default_transaction_read_only = on`);
    config = testConfig(primary.url, { databaseReadUrl: replicaUrl });
    api = await startApi(config);
    apiUrl = api.url;
  }, 120_000);

  afterAll(async () => {
    await api?.app.close();
    if (config) await clearQueues(config);
    if (replicaUrl) await maintenance(primary.url, `DROP DATABASE IF EXISTS "${dbName(replicaUrl)}" WITH (FORCE)`);
    await primary?.drop();
  });

  it('writes to the primary while the read database refuses writes', async () => {
    const late = (await ok(apiUrl, Q.registerMember, { input: { name: 'Late Client', roles: ['CLIENT'] } }, op)).registerMember;
    expect(await probeSql(primary.url, `SELECT name FROM members WHERE network_id = $1 ORDER BY joined_at`, [networkId])).toEqual([
      { name: 'Early Client' },
      { name: 'Late Client' },
    ]);
    expect(await probeSql(replicaUrl, `SELECT name FROM members WHERE network_id = $1`, [networkId])).toEqual([{ name: 'Early Client' }]);
    // The members list is not one of the lagging reads: it reads the primary and sees the new member at once.
    expect((await ok(apiUrl, Q.members, {}, op)).members.totalCount).toBe(2);
    expect((await ok(apiUrl, Q.member, { id: late.id }, op)).member.name).toBe('Late Client');
    await expect(probeSql(replicaUrl, `INSERT INTO settlement_runs (id, network_id) VALUES ($1, $2)`, [randomUUID(), networkId])).rejects.toThrow(
      /read-only transaction/,
    );
  });

  it('lists statements, health history and relationships from the read database', async () => {
    expect((await ok(apiUrl, STATEMENTS, { m: earlyId }, op)).statements).toEqual([{ status: 'DUE', net: { amount: '-42.00', currency: 'USD' } }]);
    expect((await ok(apiUrl, HISTORY, { m: earlyId }, op)).healthHistory).toEqual([{ score: 77.5, atRisk: false }]);
    expect((await ok(apiUrl, RELATIONSHIPS, {}, op)).relationships).toEqual({ totalCount: 1, edges: [{ node: { score: 61.5 } }] });
    // The primary has none of them.
    const [counts] = await probeSql(
      primary.url,
      `SELECT (SELECT count(*) FROM statements)::int AS statements, (SELECT count(*) FROM health_snapshots)::int AS snapshots,
              (SELECT count(*) FROM health_relationships)::int AS relationships`,
    );
    expect(counts).toEqual({ statements: 0, snapshots: 0, relationships: 0 });
  });

  it('computes network insight from the read database', async () => {
    await ok(apiUrl, Q.registerMember, { input: { name: 'Another Client', roles: ['CLIENT'] } }, op);
    const { membership } = (await ok(apiUrl, INSIGHT, {}, op)).networkInsight;
    // The read database knows the one client of before the copy, not those registered since.
    expect(membership.filter((m: { role: string }) => m.role === 'CLIENT')).toEqual([{ role: 'CLIENT', joined: 1 }]);
  });

  it('reads through a pool of its own on the read database', async () => {
    // A lagging read just before, so the pool's connection is not yet closed as idle.
    await ok(apiUrl, STATEMENTS, { m: earlyId }, op);
    const sessions = await probeSql(primary.url, `SELECT DISTINCT datname FROM pg_stat_activity WHERE application_name = 'tandem-api-read'`);
    expect(sessions).toContainEqual({ datname: dbName(replicaUrl) });
    expect(sessions).not.toContainEqual({ datname: dbName(primary.url) });
  });

  it('starts a worker with the read URL too, its pool named after the worker', async () => {
    const worker = await createWorkerApp(config);
    await worker.init();
    try {
      const sessions = await probeSql(primary.url, `SELECT DISTINCT datname FROM pg_stat_activity WHERE application_name = 'tandem-worker-read'`);
      expect(sessions).toEqual([{ datname: dbName(replicaUrl) }]);
    } finally {
      await worker.close();
    }
  });
});
