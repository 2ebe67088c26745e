import { BenchStack, Report, gql, percentile, timed } from '../support';
import { seedClients, seedFulfilledOrders, seedSuppliers, withDb } from '../seed';

/** balance and a supplier's orders page, p99 over HTTP, with a million postings in the ledger. */
export async function reads(stack: BenchStack, report: Report, opts: { postings: number; requests: number }): Promise<void> {
  const { createNetwork } = await gql(
    stack.url,
    `mutation { createNetwork(input: {name: "Reads", currency: "USD"}) { operatorKey network { id } } }`,
    {},
    stack.config.adminKey,
  );
  const op = createNetwork.operatorKey;
  const networkId = createNetwork.network.id;
  const entries = Math.ceil(opts.postings / 3);
  const seeded = Date.now();
  const { clients, suppliers } = await withDb(stack.config.databaseUrl, async (db) => {
    await seedSuppliers(db, networkId, 1000, 'gift-baskets', ['NYC']);
    const supplierIds = (await db.query(`SELECT id FROM members WHERE network_id = $1 AND 'SUPPLIER' = ANY(roles)`, [networkId])).rows.map((r) => r.id);
    const clientIds = await seedClients(db, networkId, 1000);
    await seedFulfilledOrders(db, networkId, 50_000, clientIds, supplierIds);
    // Entries shaped like order postings (client +110.00, supplier -95.00, hub -15.00), triggers off for the bulk load.
    await db.query(`SET session_replication_role = replica`);
    await db.query(
      `INSERT INTO ledger_accounts (network_id, currency, code, member_id)
       SELECT $1, 'USD', 'member:' || id || CASE WHEN 'CLIENT' = ANY(roles) THEN ':receivable' ELSE ':payable' END, id FROM members WHERE network_id = $1
       UNION ALL SELECT $1, 'USD', 'hub:fee-revenue', NULL`,
      [networkId],
    );
    await db.query(
      `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind) SELECT $1, 'USD', 'bench:' || g, 'BENCH' FROM generate_series(1, $2) g`,
      [networkId, entries],
    );
    await db.query(
      `WITH e AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM journal_entries WHERE network_id = $1 AND kind = 'BENCH'),
            c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM ledger_accounts WHERE network_id = $1 AND code LIKE '%:receivable'),
            s AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM ledger_accounts WHERE network_id = $1 AND code LIKE '%:payable'),
            h AS (SELECT id FROM ledger_accounts WHERE network_id = $1 AND code = 'hub:fee-revenue')
       INSERT INTO postings (entry_id, account_id, amount_minor, line)
       SELECT e.id, c.id, 11000, 'PURCHASE' FROM e JOIN c ON c.i = e.rn % 1000
       UNION ALL SELECT e.id, s.id, -9500, 'EARNED' FROM e JOIN s ON s.i = e.rn % 1000
       UNION ALL SELECT e.id, h.id, -1500, 'FEE_REVENUE' FROM e CROSS JOIN h`,
      [networkId],
    );
    await db.query(`SET session_replication_role = DEFAULT`);
    await db
      .query(
        `UPDATE ledger_accounts a SET balance_minor = t.total FROM (SELECT account_id, sum(amount_minor) AS total FROM postings GROUP BY account_id) t WHERE t.account_id = a.id`,
      )
      .catch(() => undefined); // only when the balance cache exists
    await db.query('ANALYZE');
    return { clients: clientIds, suppliers: supplierIds };
  });
  const total = await withDb(stack.config.databaseUrl, async (db) => Number((await db.query('SELECT count(*) FROM postings')).rows[0].count));
  console.log(`  seeded ${total} postings in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

  const balanceQuery = `query($id: ID!) { balance(memberId: $id, currency: "USD") { owedToHub { amount } owedByHub { amount } net { amount } } }`;
  await timed(50, (i) => gql(stack.url, balanceQuery, { id: clients[i % clients.length] }, op)); // warm up
  const balance = await timed(opts.requests, (i) => gql(stack.url, balanceQuery, { id: (i % 2 ? clients : suppliers)[(i * 7) % 1000] }, op));

  const supplierKey = (await gql(stack.url, `mutation($id: ID!) { issueApiKey(memberId: $id) }`, { id: suppliers[0] }, op)).issueApiKey;
  const page = `{ orders(first: 20) { totalCount edges { node { id status price { amount } fees { clientFee { amount } supplierFee { amount } } client { name } } } } }`;
  await timed(50, () => gql(stack.url, page, {}, supplierKey));
  const orders = await timed(opts.requests, () => gql(stack.url, page, {}, supplierKey));

  const floor = await timed(opts.requests, () => gql(stack.url, '{ __typename }', {}, op));
  report.add({
    name: `reads: balance p99 (${total} postings)`,
    value: percentile(balance, 99),
    unit: 'ms',
    baseline: { name: '{ __typename } p99 ms', value: percentile(floor, 99) },
    target: 'p99 < 20 ms',
    met: percentile(balance, 99) < 20,
  });
  report.add({ name: 'reads: balance p50', value: percentile(balance, 50), unit: 'ms' });
  report.add({
    name: "reads: supplier's orders page (20, with fees) p99",
    value: percentile(orders, 99),
    unit: 'ms',
    target: 'p99 < 20 ms',
    met: percentile(orders, 99) < 20,
  });
  report.add({ name: "reads: supplier's orders page p50", value: percentile(orders, 50), unit: 'ms' });
}
