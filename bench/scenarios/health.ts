/**
 * How relationship health scales: 10,000 members and a million orders (a year
 * of business, ~250,000 in the 90-day window, with their offers and ~6 million
 * postings), then timings of every health read (npm run bench -- --only health).
 *
 * The database (HEALTH_BENCH_DB, default tandem_health_scale) is seeded once
 * with SQL and kept for later runs; --reseed starts it over.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TandemConfigModule, loadConfig } from '@tandem/common';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule, dropDatabase, ensureDatabase, migrate } from '@tandem/persistence';
import { AnalyticsModule, NetworkInsightService } from '@tandem/analytics';
import { HealthModule, HealthService, HealthSnapshotService, NetworkStatsService } from '@tandem/health';
import { Report } from '../support';

const URL = process.env.HEALTH_BENCH_DB ?? 'postgres://postgres@127.0.0.1:5432/tandem_health_scale';
const NETWORK = '11111111-1111-4111-8111-111111111111';
const ORDERS = Number(process.env.HEALTH_BENCH_ORDERS ?? 1_000_000);

/** The fulfilment (or refund) postings of the entries with ids in [$1, $2), as settlement writes them. */
const POSTINGS_SQL = `
  INSERT INTO postings (entry_id, account_id, amount_minor, line, order_id, created_at)
  SELECT e.id, a.id, l.sign * l.amount, l.line, o.id, e.created_at
    FROM journal_entries e
    JOIN orders o ON o.id = e.order_id
    JOIN order_fees ofe ON ofe.order_id = o.id
    CROSS JOIN LATERAL (SELECT CASE WHEN e.kind = 'ORDER_REFUND' THEN -1 ELSE 1 END AS sign,
                               ofe.client_fee_minor AS cf, ofe.supplier_fee_minor AS sf,
                               coalesce(ofe.client_share_minor, 0) AS share,
                               ofe.client_share_partner_id::text AS partner) f
    CROSS JOIN LATERAL (VALUES
        ('member:' || o.client_id || ':receivable', o.price_minor, 'PURCHASE', f.sign),
        ('member:' || o.client_id || ':receivable', f.cf, 'CLIENT_FEE', f.sign),
        ('member:' || o.supplier_id || ':payable', -o.price_minor, 'EARNED', f.sign),
        ('member:' || o.supplier_id || ':payable', f.sf, 'SUPPLIER_FEE', f.sign),
        ('member:' || f.partner || ':payable', -f.share, 'PARTNER_SHARE', f.sign),
        ('hub:fee-revenue', -(f.cf + f.sf), 'FEE_REVENUE', f.sign),
        ('hub:partner-share-expense', f.share, 'PARTNER_SHARE_EXPENSE', f.sign)
      ) AS l(code, amount, line, sign)
    JOIN ledger_accounts a ON a.network_id = e.network_id AND a.currency = 'USD' AND a.code = l.code
   WHERE e.id >= $1 AND e.id < $2 AND l.amount <> 0`;

async function seed(): Promise<void> {
  const db = new Client({ connectionString: URL });
  await db.connect();
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t = Date.now();
    await db.query(sql, params);
    console.log(`  seed: ${what} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  };
  try {
    // Bulk load: the rows balance by construction, so the ledger's row triggers are skipped.
    await db.query(`SET session_replication_role = replica`);
    await step(
      'network',
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds, created_at)
       VALUES ($1, 'Scale', 'USD', 1000, 500, 2000, 12, 900, now() - interval '800 days')`,
      [NETWORK],
    );
    await step(
      'fee history',
      `INSERT INTO fee_term_changes (network_id, member_id, terms, effective_at) VALUES
        ($1, NULL, '{"clientFeeBps":1000,"supplierFeeBps":500,"partnerShareBps":2000,"partnerShareMonths":12,"offerTimeoutSeconds":900}', now() - interval '800 days')`,
      [NETWORK],
    );
    await step(
      '10,000 members',
      `INSERT INTO members (id, network_id, name, roles, vetting_status, joined_at, created_at)
       SELECT gen_random_uuid(), $1, kind || ' ' || g, ARRAY[kind], CASE WHEN kind = 'SUPPLIER' THEN 'VETTED' END,
              now() - (g % 730) * interval '1 day', now() - (g % 730) * interval '1 day'
         FROM generate_series(1, 10000) g,
              LATERAL (SELECT CASE WHEN g <= 2000 THEN 'SUPPLIER' WHEN g <= 9000 THEN 'CLIENT' ELSE 'PARTNER' END AS kind) k`,
      [NETWORK],
    );
    await db.query(`CREATE TABLE bench_s AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM members WHERE roles = '{SUPPLIER}'`);
    await db.query(`CREATE TABLE bench_c AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM members WHERE roles = '{CLIENT}'`);
    await db.query(`CREATE TABLE bench_p AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM members WHERE roles = '{PARTNER}'`);
    await step(
      'referrals (1 client in 5)',
      `UPDATE members m SET referred_by_id = p.id FROM bench_c c JOIN bench_p p ON p.n = c.n % 1000 WHERE m.id = c.id AND c.n % 5 = 0`,
    );
    await step(
      'capabilities',
      `INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency)
       SELECT gen_random_uuid(), $1, s.id, 'cat' || ((s.n + k) % 20), '{NYC}', 1000, 1, 10000, 'USD' FROM bench_s s, generate_series(0, 1) k`,
      [NETWORK],
    );
    // One supplier in 20 orders goes to supplier 0, one in 10 to suppliers 1-9: the heavy ones.
    await step(
      `${ORDERS.toLocaleString()} orders`,
      `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status, supplier_id,
                           price_minor, idempotency_key, input_fingerprint, accepted_at, fulfilled_at, cancelled_at, refunded_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, c.id, 'cat' || (s.n % 20), 'NYC', 1, x.t + interval '2 days', 20000, 'USD', x.status,
              CASE WHEN x.status = 'CANCELLED' THEN NULL ELSE s.id END, x.price,
              'k' || g, 'fp',
              CASE WHEN x.status <> 'CANCELLED' THEN x.t END,
              CASE WHEN x.status IN ('FULFILLED', 'REFUNDED') THEN x.t + x.lag END,
              CASE WHEN x.status = 'CANCELLED' THEN x.t END,
              CASE WHEN x.status = 'REFUNDED' THEN x.t + x.lag + interval '1 day' END,
              x.t - interval '1 hour', x.t
         FROM generate_series(1::bigint, $2::bigint) g
         CROSS JOIN LATERAL (
           SELECT t, price, (price * 1000 + 5000) / 10000 AS cf, (price * 500 + 5000) / 10000 AS sf, lag,
                  CASE WHEN r < 0.03 THEN 'CANCELLED' WHEN r < 0.05 AND t < now() - interval '3 days' THEN 'REFUNDED'
                       WHEN t > now() - interval '3 days' AND r < 0.5 THEN 'ACCEPTED' ELSE 'FULFILLED' END AS status
             FROM (SELECT now() - (((g * 2654435761::bigint) % 1000003) / 1000003.0) * interval '365 days' AS t,
                          (5000 + (g * 7919) % 10000)::bigint AS price,
                          ((g * 104729) % 1000) / 1000.0 AS r,
                          ((g % 60) * interval '1 hour') AS lag) y
         ) x
         JOIN bench_s s ON s.n = CASE WHEN g % 20 = 0 THEN 0 WHEN g % 10 = 0 THEN 1 + (g / 10) % 9 ELSE (g * 7919) % 2000 END
         JOIN bench_c c ON c.n = (g * 31) % 7000
         LEFT JOIN members cm ON cm.id = c.id
         LEFT JOIN bench_p p ON p.id = cm.referred_by_id`,
      [NETWORK, ORDERS],
    );
    // The breakdown settlement freezes at acceptance: 10 % and 5 %, a 20 % share to the client's referrer.
    await step(
      'fee breakdowns',
      `INSERT INTO order_fees (order_id, currency, price_minor, client_fee_bps, supplier_fee_bps, client_fee_minor, supplier_fee_minor,
                               client_share_partner_id, client_share_referred_id, client_share_bps, client_share_minor)
       SELECT o.id, 'USD', o.price_minor, 1000, 500, x.cf, (o.price_minor * 500 + 5000) / 10000,
              m.referred_by_id, CASE WHEN m.referred_by_id IS NOT NULL THEN o.client_id END,
              CASE WHEN m.referred_by_id IS NOT NULL THEN 2000 END,
              CASE WHEN m.referred_by_id IS NOT NULL THEN (x.cf * 2000 + 5000) / 10000 END
         FROM orders o JOIN members m ON m.id = o.client_id
         CROSS JOIN LATERAL (SELECT (o.price_minor * 1000 + 5000) / 10000 AS cf) x
        WHERE o.network_id = $1 AND o.accepted_at IS NOT NULL`,
      [NETWORK],
    );
    await step(
      'offers (accepted, plus a decline or expiry on 3 orders in 10)',
      `INSERT INTO offers (id, order_id, network_id, supplier_id, capacity_day, price_minor, status, offered_at, expires_at, closed_at)
       SELECT gen_random_uuid(), o.id, o.network_id, o.supplier_id, o.deliver_by::date, o.price_minor, 'ACCEPTED',
              o.accepted_at - interval '5 minutes', o.accepted_at + interval '10 minutes', o.accepted_at
         FROM orders o WHERE o.accepted_at IS NOT NULL
       UNION ALL
       SELECT gen_random_uuid(), o.id, o.network_id, s.id, o.deliver_by::date, o.price_minor,
              CASE WHEN abs(hashtext(o.id::text)) % 2 = 0 THEN 'DECLINED' ELSE 'EXPIRED' END,
              o.created_at, o.created_at + interval '15 minutes', o.created_at + interval '15 minutes'
         FROM orders o JOIN bench_s s ON s.n = abs(hashtext(o.id::text)) % 2000
        WHERE abs(hashtext(o.id::text || 'x')) % 10 < 3`,
    );
    await step(
      'ledger accounts',
      `INSERT INTO ledger_accounts (network_id, currency, code, member_id)
       SELECT $1, 'USD', 'member:' || id || ':' || kind, id FROM members, unnest(ARRAY['receivable', 'payable']) kind WHERE network_id = $1
       UNION ALL SELECT $1, 'USD', code, NULL FROM unnest(ARRAY['hub:fee-revenue', 'hub:partner-share-expense']) code`,
      [NETWORK],
    );
    await step(
      'journal entries (fulfilments and refunds)',
      `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind, order_id, created_at)
       SELECT network_id, 'USD', 'order:' || id || ':fulfil', 'ORDER_FULFILMENT', id, fulfilled_at FROM orders WHERE fulfilled_at IS NOT NULL
       UNION ALL
       SELECT network_id, 'USD', 'order:' || id || ':refund', 'ORDER_REFUND', id, refunded_at FROM orders WHERE refunded_at IS NOT NULL`,
    );
    await db.query(`DROP TABLE bench_s, bench_c, bench_p`);
  } finally {
    await db.end();
  }
}

/** The postings, in slices of entries so that no statement needs much temporary disk; resumable. */
async function seedPostings(): Promise<void> {
  const db = new Client({ connectionString: URL });
  await db.connect();
  try {
    await db.query(`SET session_replication_role = replica`);
    // Fresh statistics, or the planner joins every entry with every account.
    await db.query(`ANALYZE journal_entries; ANALYZE orders; ANALYZE ledger_accounts`);
    const [{ max, done }] = (
      await db.query(`SELECT coalesce(max(id), 0)::bigint AS max, (SELECT coalesce(max(entry_id), 0) FROM postings)::bigint AS done FROM journal_entries`)
    ).rows;
    const started = Date.now();
    for (let from = Number(done) + 1; from <= Number(max); from += 100_000) {
      await db.query(POSTINGS_SQL, [from, from + 100_000]);
    }
    console.log(`  seed: postings (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    // What autovacuum does in a live database: statistics, and the visibility map for index-only scans.
    for (const table of ['postings', 'journal_entries', 'orders', 'offers', 'ledger_accounts', 'members']) await db.query(`VACUUM ANALYZE ${table}`);
  } finally {
    await db.end();
  }
}

let report: Report;

async function time<T>(label: string, runs: number, work: () => Promise<T>): Promise<T> {
  const ms: number[] = [];
  let out!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = await work();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  report.add({ name: `health: ${label} (median of ${runs})`, value: median, unit: 'ms' });
  return out;
}

export async function health(into: Report): Promise<void> {
  report = into;
  if (process.argv.includes('--reseed')) await dropDatabase(URL);
  const created = await ensureDatabase(URL);
  await migrate(URL);
  if (created || process.argv.includes('--reseed')) await seed();
  await seedPostings();

  const config = { ...loadConfig({ DATABASE_URL: URL, NODE_ENV: 'test' }), queuePrefix: 'tandem-health-bench', logLevel: 'silent' };
  @Module({
    imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: URL }), JobsModule.forRoot(config), HealthModule, AnalyticsModule],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  try {
    const ds = app.get(DataSource);
    const health = app.get(HealthService);
    const [{ orders, window }] = await ds.query(
      `SELECT count(*)::int AS orders, count(*) FILTER (WHERE fulfilled_at > now() - interval '90 days')::int AS window FROM orders WHERE network_id = $1`,
      [NETWORK],
    );
    const [{ postings }] = await ds.query(`SELECT count(*)::int AS postings FROM postings`);
    console.log(`network: ${orders} orders (${window} fulfilled in the window), ${postings} postings`);
    const pick = async (sql: string) => (await ds.query(sql, [NETWORK]))[0].id as string;
    const heavy = await pick(
      `SELECT supplier_id AS id FROM orders WHERE network_id = $1 AND supplier_id IS NOT NULL GROUP BY supplier_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const typical = await pick(`SELECT id FROM members WHERE network_id = $1 AND roles = '{SUPPLIER}' ORDER BY id OFFSET 1000 LIMIT 1`);
    const client = await pick(`SELECT id FROM members WHERE network_id = $1 AND roles = '{CLIENT}' ORDER BY id OFFSET 10 LIMIT 1`);
    const partner = await pick(`SELECT id FROM members WHERE network_id = $1 AND roles = '{PARTNER}' ORDER BY id LIMIT 1`);
    const stats = app.get(NetworkStatsService);
    const network = await stats.network(ds.manager, NETWORK);
    await time('network norms, computed (the O(network) part, cached)', 3, () => stats.compute(ds.manager, network, new Date()));
    await stats.refresh(ds.manager, network, new Date());
    const h = await time('relationshipHealth, heaviest supplier', 7, () => health.relationshipHealth(NETWORK, heavy));
    console.log(
      `    (${h.measures.supplier.fulfilled} orders fulfilled and ${h.measures.offers.accepted + h.measures.offers.declined + h.measures.offers.expired} offers in the window; score ${h.evaluation.score})`,
    );
    await time('relationshipHealth, typical supplier', 7, () => health.relationshipHealth(NETWORK, typical));
    await time('relationshipHealth, client', 7, () => health.relationshipHealth(NETWORK, client));
    await time('relationshipHealth, partner', 7, () => health.relationshipHealth(NETWORK, partner));
    const suppliers: string[] = (await ds.query(`SELECT id FROM members WHERE network_id = $1 AND roles = '{SUPPLIER}' ORDER BY id LIMIT 100`, [NETWORK])).map(
      (r: { id: string }) => r.id,
    );
    await ds.query(`DELETE FROM health_snapshots`);
    const snapshots = app.get(HealthSnapshotService);
    const summary = await time('snapshot of the whole network (10,000 members)', 1, () => snapshots.snapshotNetwork(NETWORK));
    console.log(`    (${JSON.stringify(summary)})`);
    await time('snapshot again (nothing changed: nothing written)', 1, () => snapshots.snapshotNetwork(NETWORK));
    await time("routing's read of 100 suppliers' standing (health and reliability), from snapshots", 7, () =>
      health.standingsOf(ds.manager, NETWORK, suppliers),
    );
    const insight = app.get(NetworkInsightService);
    await time('networkInsight membership + cohorts + gap (12 months)', 3, async () => {
      const ctx = insight.context(NETWORK, 12);
      await Promise.all([insight.membership(ctx), insight.cohorts(ctx), insight.acquisitionVsRetention(ctx)]);
    });
    await time('networkInsight power balance (90 days)', 3, () => insight.powerBalance(NETWORK, 3));
    await time('healthEvents first page', 5, () => snapshots.events(NETWORK, 20, null));
  } finally {
    await app.close();
  }
}
