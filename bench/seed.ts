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
export async function seedFulfilledOrders(db: Client, networkId: string, n: number, clientIds: string[], supplierIds: string[], startIndex = 0): Promise<void> {
  await db.query(
    `WITH placed AS (
     INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status,
                         supplier_id, price_minor, idempotency_key, input_fingerprint, accepted_at, fulfilled_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, ($3::uuid[])[1 + g % cardinality($3::uuid[])], 'gift-baskets', 'NYC', 1,
            now() + interval '1 day', 20000, 'USD', 'FULFILLED', ($4::uuid[])[1 + g % cardinality($4::uuid[])], 10000,
            'bench-' || g, 'bench', now() - interval '1 hour', now() - interval '30 minutes', now() - (g || ' seconds')::interval, now()
       FROM generate_series($5::int + 1, $5::int + $2::int) g
     RETURNING id)
     INSERT INTO order_fees (order_id, currency, price_minor, client_fee_bps, supplier_fee_bps, client_fee_minor, supplier_fee_minor)
     SELECT id, 'USD', 10000, 1000, 500, 1000, 500 FROM placed`,
    [networkId, n, clientIds, supplierIds, startIndex],
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
