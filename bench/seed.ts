import { Client } from 'pg';

/** Bulk set-up straight in SQL: benchmarks measure the hot paths, not thousands of set-up requests. */
export async function withDb<T>(url: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** N vetted suppliers, each with one capability in `category` across `regions`, prices spread. */
export async function seedSuppliers(db: Client, networkId: string, n: number, category: string, regions: string[]): Promise<void> {
  await db.query(
    `INSERT INTO members (id, network_id, name, roles, vetting_status, term_overrides, joined_at, created_at)
     SELECT gen_random_uuid(), $1, 'Supplier ' || g, ARRAY['SUPPLIER'], 'VETTED', '{}'::jsonb, now() - interval '30 days', now()
       FROM generate_series(1, $2) g`,
    [networkId, n],
  );
  await db.query(
    `INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency, created_at)
     SELECT gen_random_uuid(), $1, m.id, $2, $3::text[], 1000000, 0, 5000 + (abs(hashtext(m.id::text)) % 10000), 'USD', now()
       FROM members m WHERE m.network_id = $1 AND 'SUPPLIER' = ANY(m.roles)`,
    [networkId, category, regions],
  );
  await db.query('ANALYZE members; ANALYZE capabilities');
}

export async function seedClients(db: Client, networkId: string, n: number): Promise<string[]> {
  const { rows } = await db.query(
    `INSERT INTO members (id, network_id, name, roles, term_overrides, joined_at, created_at)
     SELECT gen_random_uuid(), $1, 'Client ' || g, ARRAY['CLIENT'], '{}'::jsonb, now() - interval '30 days', now()
       FROM generate_series(1, $2) g RETURNING id`,
    [networkId, n],
  );
  return rows.map((r) => r.id);
}

/**
 * FULFILLED orders with frozen fees (price 100.00, 10 % and 5 %), as acceptance
 * leaves them, spread over the given clients and suppliers.
 */
export async function seedFulfilledOrders(
  db: Client,
  networkId: string,
  n: number,
  clientIds: string[],
  supplierIds: string[],
  startIndex = 0,
  /** When given, created_at is spread evenly over this many days back from now (else one order a second back from now). */
  overDays?: number,
): Promise<void> {
  await db.query(
    `WITH placed AS (
     INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                         supplier_id, price_minor, idempotency_key, input_fingerprint, accepted_at, fulfilled_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, ($3::uuid[])[1 + g % cardinality($3::uuid[])], 'gift-baskets', 'NYC', 1,
            now() + interval '1 day', 20000, 'USD', 'FULFILLED', ($4::uuid[])[1 + g % cardinality($4::uuid[])], 10000,
            'bench-' || g, 'bench', now() - interval '1 hour', now() - interval '30 minutes',
            CASE WHEN $6::float8 IS NULL THEN now() - (g || ' seconds')::interval
                 ELSE now() - ($6::float8 * 86400 * (g - $5::int) / $2::int) * interval '1 second' END, now()
       FROM generate_series($5::int + 1, $5::int + $2::int) g
     RETURNING id)
     INSERT INTO order_fees (order_id, currency, price_minor, client_fee_bps, supplier_fee_bps, client_fee_minor, supplier_fee_minor)
     SELECT id, 'USD', 10000, 1000, 500, 1000, 500 FROM placed`,
    [networkId, n, clientIds, supplierIds, startIndex, overDays ?? null],
  );
}

/**
 * ACCEPTED orders of one supplier with frozen fees (price 100.00, 10 % and 5 %),
 * as acceptOrder leaves them: what a fulfilOrder load needs. Returns their ids.
 */
export async function seedAcceptedOrders(db: Client, networkId: string, n: number, clientId: string, supplierId: string, tag: string): Promise<string[]> {
  const { rows } = await db.query(
    `WITH placed AS (
     INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                         supplier_id, price_minor, idempotency_key, input_fingerprint, accepted_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, $3, 'gift-baskets', 'NYC', 1, now() + interval '1 day', 20000, 'USD', 'ACCEPTED', $4, 10000,
            $5 || '-' || g, 'bench', now() - interval '1 hour', now() - interval '2 hours', now()
       FROM generate_series(1, $2::int) g
     RETURNING id)
     INSERT INTO order_fees (order_id, currency, price_minor, client_fee_bps, supplier_fee_bps, client_fee_minor, supplier_fee_minor)
     SELECT id, 'USD', 10000, 1000, 500, 1000, 500 FROM placed RETURNING order_id`,
    [networkId, n, clientId, supplierId, tag],
  );
  return rows.map((r) => r.order_id);
}

/** What seedLedger wrote. */
export interface SeededLedger {
  entries: number;
  postings: number;
  /** The ledger partitions (journal_entries_YYYY_MM and postings_YYYY_MM) that hold rows, with their row counts. */
  partitions: { name: string; rows: number }[];
}

/**
 * About `postings` postings in entries shaped like order postings (client
 * receivable +110.00, supplier payable -95.00, hub fee revenue -15.00), the
 * clients and suppliers taken in turn, spread evenly over the last `months`
 * months of created_at (oldest first, ids rising with time as posting leaves
 * them). The monthly partitions of those months are created first with the
 * ledger's own ledger_create_partitions (migration 1797400000000), so the rows
 * land in their months and not in the DEFAULT partition.
 *
 * Set-based, with the ledger's triggers off for the bulk load (no idempotency
 * key claims, no per-statement balance checks): ids are reserved from the
 * sequences and computed, in chunks of `chunk` entries. The member accounts'
 * cached balances (balance_minor) are then set to the sum of their postings, as
 * the trigger would have kept them; the hub's stay 0 (they are summed at read).
 */
export async function seedLedger(
  db: Client,
  networkId: string,
  postings: number,
  opts: { months?: number; chunk?: number; log?: (line: string) => void } = {},
): Promise<SeededLedger> {
  const months = opts.months ?? 12;
  const chunk = opts.chunk ?? 250_000;
  const entries = Math.ceil(postings / 3);
  await db.query(`SELECT ledger_create_partitions(1, (now() - make_interval(months => $1::int))::date)`, [months]);
  await db.query(
    `INSERT INTO ledger_accounts (network_id, currency, code, member_id)
     SELECT $1, 'USD', 'member:' || id || CASE WHEN 'CLIENT' = ANY(roles) THEN ':receivable' ELSE ':payable' END, id FROM members WHERE network_id = $1
     UNION ALL SELECT $1, 'USD', 'hub:fee-revenue', NULL
     ON CONFLICT DO NOTHING`,
    [networkId],
  );
  const ids = async (where: string) =>
    (await db.query(`SELECT id FROM ledger_accounts WHERE network_id = $1 AND ${where} ORDER BY id`, [networkId])).rows.map((r) => String(r.id));
  const receivable = await ids(`code LIKE '%:receivable'`);
  const payable = await ids(`code LIKE '%:payable'`);
  const [hub] = await ids(`code = 'hub:fee-revenue'`);
  // Ids reserved up front: entry g (1..entries) is entryBase + g, its postings postingBase + 3g - 2 .. postingBase + 3g.
  const entryBase = Number((await db.query(`SELECT nextval('journal_entries_id_seq') - 1 AS base`)).rows[0].base);
  await db.query(`SELECT setval('journal_entries_id_seq', $1::bigint)`, [entryBase + entries]);
  const postingBase = Number((await db.query(`SELECT nextval('postings_id_seq') - 1 AS base`)).rows[0].base);
  await db.query(`SELECT setval('postings_id_seq', $1::bigint)`, [postingBase + 3 * entries]);
  const [{ t0 }] = (await db.query(`SELECT (now() - make_interval(months => $1::int) + interval '1 day')::text AS t0`, [months])).rows;
  const [{ span }] = (await db.query(`SELECT extract(epoch FROM now() - $1::timestamptz - interval '1 minute')::float8 AS span`, [t0])).rows;
  await db.query(`SET session_replication_role = replica`);
  try {
    for (let lo = 1; lo <= entries; lo += chunk) {
      const hi = Math.min(entries, lo + chunk - 1);
      // Entry g's time: t0 + (g - 1) * span / entries.
      const at = `$2::timestamptz + ((g - 1) * ($3::float8 / $4::bigint)) * interval '1 second'`;
      await db.query(
        `INSERT INTO journal_entries (id, network_id, currency, idempotency_key, kind, created_at)
         SELECT $5::bigint + g, $1, 'USD', 'bench:' || g, 'BENCH', ${at} FROM generate_series($6::bigint, $7::bigint) g`,
        [networkId, t0, span, entries, entryBase, lo, hi],
      );
      await db.query(
        `WITH e AS (SELECT g, $5::bigint + g AS entry_id, ${at} AS at FROM generate_series($6::bigint, $7::bigint) g)
         INSERT INTO postings (id, entry_id, account_id, amount_minor, line, created_at)
         SELECT $1::bigint + 3 * g - 2, entry_id, ($8::bigint[])[1 + g % cardinality($8::bigint[])], 11000, 'PURCHASE', at FROM e
         UNION ALL SELECT $1::bigint + 3 * g - 1, entry_id, ($9::bigint[])[1 + g % cardinality($9::bigint[])], -9500, 'EARNED', at FROM e
         UNION ALL SELECT $1::bigint + 3 * g, entry_id, $10::bigint, -1500, 'FEE_REVENUE', at FROM e`,
        [postingBase, t0, span, entries, entryBase, lo, hi, receivable, payable, hub],
      );
      opts.log?.(`  ledger: ${(3 * hi).toLocaleString()} of ${(3 * entries).toLocaleString()} postings`);
    }
  } finally {
    await db.query(`SET session_replication_role = DEFAULT`);
  }
  await db.query(
    `UPDATE ledger_accounts a SET balance_minor = t.total
       FROM (SELECT account_id, sum(amount_minor) AS total FROM postings WHERE account_id = ANY($1::bigint[]) GROUP BY account_id) t
      WHERE t.account_id = a.id AND a.member_id IS NOT NULL`,
    [[...receivable, ...payable]],
  );
  const { rows } = await db.query(
    `SELECT tableoid::regclass::text AS name, count(*)::bigint AS rows FROM journal_entries GROUP BY 1
     UNION ALL SELECT tableoid::regclass::text, count(*) FROM postings GROUP BY 1 ORDER BY 1`,
  );
  return { entries, postings: 3 * entries, partitions: rows.map((r) => ({ name: r.name, rows: Number(r.rows) })) };
}
