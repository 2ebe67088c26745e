import { DataSource } from 'typeorm';
import { MIGRATIONS, dataSourceOptions, dropDatabase, ensureDatabase } from '@tandem/persistence';
import { LedgerPartitions1797400000000 } from '../libs/persistence/src/migrations/1797400000000-ledger-partitions';

const BASE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PARTITIONED = 1797400000000;

/** An existing ledger (before issue 15) moved onto monthly partitions: no row lost, every guarantee kept. */
describe('ledger partition migration', () => {
  const url = (() => {
    const u = new URL(BASE_DB);
    u.pathname = `/tandem_t_partitions_${process.pid}_${Date.now() % 100000}`;
    return u.toString();
  })();
  let ds: DataSource;

  beforeAll(async () => {
    await ensureDatabase(url);
    const before = MIGRATIONS.filter((m) => Number(/(\d{13})$/.exec(m.name)?.[1]) < PARTITIONED);
    ds = new DataSource({ ...dataSourceOptions({ url, poolSize: 2, role: 'migrations' }), migrations: before });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  }, 120_000);
  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(url);
  });

  it('moves every entry and posting, across months, and keeps keys, balance checks and append-only', async () => {
    const net = '11111111-1111-1111-1111-111111111111';
    const [{ id: a }] = await ds.query(
      `INSERT INTO ledger_accounts (network_id, currency, code, member_id) VALUES ($1, 'USD', 'member:x:receivable', gen_random_uuid()) RETURNING id`,
      [net],
    );
    const [{ id: b }] = await ds.query(`INSERT INTO ledger_accounts (network_id, currency, code) VALUES ($1, 'USD', 'hub:cash') RETURNING id`, [net]);
    // 30 entries spread over the last 5 months, two postings each.
    for (let i = 0; i < 30; i++) {
      const at = `now() - interval '${(i % 5) * 31} days'`;
      const [{ id }] = await ds.query(
        `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind, created_at) VALUES ($1, 'USD', $2, 'test', ${at}) RETURNING id`,
        [net, `k:${i}`],
      );
      await ds.query(
        `INSERT INTO postings (entry_id, account_id, amount_minor, line, created_at) VALUES ($1, $2, ${100 + i}, 'PURCHASE', ${at}), ($1, $3, ${-(100 + i)}, 'PURCHASE', ${at})`,
        [id, a, b],
      );
    }
    const snapshot = async () => ({
      entries: await ds.query(`SELECT id::text, idempotency_key, created_at FROM journal_entries ORDER BY id`),
      postings: await ds.query(`SELECT id::text, entry_id::text, account_id::text, amount_minor::text, created_at FROM postings ORDER BY id`),
      balance: await ds.query(`SELECT balance_minor::text FROM ledger_accounts WHERE id = $1`, [a]),
    });
    const before = await snapshot();
    expect(before.entries).toHaveLength(30);
    expect(before.balance).toEqual([{ balance_minor: String(Array.from({ length: 30 }, (_, i) => 100 + i).reduce((x, y) => x + y)) }]);

    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      await new LedgerPartitions1797400000000().up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }

    expect(await snapshot()).toEqual(before);
    const [{ kind }] = await ds.query(`SELECT relkind AS kind FROM pg_class WHERE relname = 'postings'`);
    expect(kind).toBe('p');
    const parts: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'postings'::regclass`);
    expect(parts[0].n).toBeGreaterThanOrEqual(5 + 3 + 1); // the months with rows, three ahead, DEFAULT
    const months: { n: number }[] = await ds.query(`SELECT count(DISTINCT tableoid)::int AS n FROM postings`);
    expect(months[0].n).toBeGreaterThanOrEqual(5);
    // The public views read the new tables.
    expect(await ds.query(`SELECT count(*)::int AS n FROM ledger_entries`)).toEqual([{ n: 30 }]);

    // A key posted before the move is still taken: the entry is skipped, nothing is written.
    expect(
      await ds.query(`INSERT INTO journal_entries (network_id, currency, idempotency_key, kind) VALUES ($1, 'USD', 'k:3', 'test') RETURNING id`, [net]),
    ).toEqual([]);
    const [{ id: fresh }] = await ds.query(
      `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind) VALUES ($1, 'USD', 'k:new', 'test') RETURNING id`,
      [net],
    );
    expect(Number(fresh)).toBeGreaterThan(Number(before.entries[29].id));
    // Balance check, missing entry, append-only and the cache still hold.
    await expect(ds.query(`INSERT INTO postings (entry_id, account_id, amount_minor, line) VALUES ($1, $2, 5, 'PURCHASE')`, [fresh, a])).rejects.toThrow(
      /does not balance/,
    );
    await expect(
      ds.query(`INSERT INTO postings (entry_id, account_id, amount_minor, line) VALUES (987654321, $1, 5, 'PURCHASE'), (987654321, $2, -5, 'PURCHASE')`, [
        a,
        b,
      ]),
    ).rejects.toThrow(/does not exist/);
    await ds.query(`INSERT INTO postings (entry_id, account_id, amount_minor, line) VALUES ($1, $2, 7, 'PURCHASE'), ($1, $3, -7, 'PURCHASE')`, [fresh, a, b]);
    expect(await ds.query(`SELECT balance_minor::text FROM ledger_accounts WHERE id = $1`, [a])).toEqual([
      { balance_minor: String(Number(before.balance[0].balance_minor) + 7) },
    ]);
    await expect(ds.query(`UPDATE postings SET amount_minor = 0`)).rejects.toThrow();
    await expect(ds.query(`DELETE FROM journal_entries`)).rejects.toThrow();
    const [{ name: partition }] = await ds.query(`SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'postings'::regclass LIMIT 1`);
    await expect(ds.query(`TRUNCATE ${partition}`)).rejects.toThrow(/append-only/);
    // The job's function creates ahead and is idempotent.
    expect(await ds.query(`SELECT ledger_create_partitions(3) AS n`)).toEqual([{ n: 0 }]);
    expect((await ds.query(`SELECT ledger_create_partitions(4) AS n`))[0].n).toBe(2);
  });
});
