import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Caller } from '@tandem/auth';
import { TandemConfigModule } from '@tandem/common';
import { HealthModule, HealthService, RelationshipHealth } from '@tandem/health';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule, migrate, revertLastMigration } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { BalanceService } from '../balance/balance.service';
import { FeeBreakdown, computeFees, storeFees } from '../fees/fee-calculator';
import { OrderFeesLoader } from '../fees/order-fees.loader';
import { freezeOrderFees } from '../fees/order-fees.repository';
import { fulfilmentLines } from '../posting/order-lines';
import { SettlementModule } from '../settlement.module';

/**
 * The migration that moves fee breakdowns off orders.fees into order_fees
 * (libs/persistence/src/migrations/1796200000000-order-fees.ts): a database
 * filled under the old schema, then migrated, shows every order's fees, every
 * balance and every health figure as a twin filled under the new schema does.
 */

const BEFORE_MINE = 'OrderEventWriteTime1796164665117';
const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);

const ids = {
  network: randomUUID(),
  p1: randomUUID(),
  p2: randomUUID(),
  client: randomUUID(),
  supplier: randomUUID(),
  other: randomUUID(),
};
const orderIds = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const referrer = (partnerId: string, referredId: string, bps: number) => ({
  partnerId,
  referredId,
  partnerShareBps: bps,
  partnerShareMonths: 12,
  referredJoinedAt: ago(60),
});
/** Shares on both sides, on the client side only, none, and an order refunded after fulfilment. */
const breakdowns: FeeBreakdown[] = [
  computeFees({
    price: 12000n,
    currency: 'USD',
    clientFeeBps: 1000,
    supplierFeeBps: 500,
    clientReferrer: referrer(ids.p1, ids.client, 2000),
    supplierReferrer: referrer(ids.p2, ids.supplier, 5000),
    acceptedAt: ago(10),
  }),
  computeFees({
    price: 1010n,
    currency: 'USD',
    clientFeeBps: 1000,
    supplierFeeBps: 500,
    clientReferrer: referrer(ids.p1, ids.client, 2000),
    acceptedAt: ago(8),
  }),
  computeFees({ price: 5000n, currency: 'USD', clientFeeBps: 800, supplierFeeBps: 0, acceptedAt: ago(6) }),
  computeFees({
    price: 7777n,
    currency: 'USD',
    clientFeeBps: 1000,
    supplierFeeBps: 500,
    supplierReferrer: referrer(ids.p2, ids.supplier, 2000),
    acceptedAt: ago(4),
  }),
];
const clientOf = (n: number) => (n === 2 ? ids.other : ids.client);
const refunded = (n: number) => n === 3;

/** The same network and history, the breakdown written the old way (orders.fees) or the new (order_fees). */
async function fill(ds: DataSource, fees: 'orders.fees' | 'order_fees'): Promise<void> {
  await ds.query(
    `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds, created_at)
     VALUES ($1, 'Circles', 'USD', 1000, 500, 2000, 12, 900, $2)`,
    [ids.network, ago(90)],
  );
  const members: [string, string[], string | null][] = [
    [ids.p1, ['PARTNER'], null],
    [ids.p2, ['PARTNER'], null],
    [ids.client, ['CLIENT'], ids.p1],
    [ids.supplier, ['SUPPLIER'], ids.p2],
    [ids.other, ['CLIENT', 'SUPPLIER'], null],
  ];
  for (const [id, roles, referredBy] of members) {
    await ds.query(
      `INSERT INTO members (id, network_id, name, roles, vetting_status, referred_by_id, joined_at, created_at) VALUES ($1, $2, $7, $3, $4, $5, $6, $6)`,
      [id, ids.network, roles, roles.includes('SUPPLIER') ? 'VETTED' : null, referredBy, ago(60), `member ${id}`],
    );
  }
  for (const [n, id] of orderIds.entries()) {
    const f = breakdowns[n];
    const accepted = ago(10 - 2 * n);
    const fulfilled = new Date(accepted.getTime() + DAY);
    const oldColumn = fees === 'orders.fees' ? ', fees' : '';
    await ds.query(
      `INSERT INTO orders (id, network_id, client_id, category, region, quantity, deliver_by, budget_minor, currency, status, supplier_id, price_minor,
                           idempotency_key, input_fingerprint, accepted_at, fulfilled_at, refunded_at, created_at, updated_at${oldColumn})
       VALUES ($1, $2, $3, 'flowers', 'NYC', 1, $4, $5, 'USD', $6, $7, $5, $11, 'fp', $8, $9, $10, $8, $8${fees === 'orders.fees' ? ', $12' : ''})`,
      [
        id,
        ids.network,
        clientOf(n),
        new Date(accepted.getTime() + 2 * DAY),
        f.price.toString(),
        refunded(n) ? 'REFUNDED' : 'FULFILLED',
        ids.supplier,
        accepted,
        fulfilled,
        refunded(n) ? new Date(fulfilled.getTime() + DAY) : null,
        `k-${id}`,
        ...(fees === 'orders.fees' ? [JSON.stringify(storeFees(f))] : []),
      ],
    );
    if (fees === 'order_fees') await freezeOrderFees(ds.manager, id, f);
    const lines = fulfilmentLines({ clientId: clientOf(n), supplierId: ids.supplier }, f);
    await post(ds, `order:${id}:fulfil`, 'ORDER_FULFILMENT', id, lines, fulfilled);
    if (refunded(n))
      await post(
        ds,
        `order:${id}:refund`,
        'ORDER_REFUND',
        id,
        lines.map((l) => ({ ...l, amount: -l.amount })),
        new Date(fulfilled.getTime() + DAY),
      );
  }
}

/** A journal entry written by SQL, as the ledger wrote it: these tables are the same before and after the migration. */
async function post(ds: DataSource, key: string, kind: string, orderId: string, lines: ReturnType<typeof fulfilmentLines>, at: Date): Promise<void> {
  await ds.transaction(async (em) => {
    const [entry]: { id: string }[] = await em.query(
      `INSERT INTO journal_entries (network_id, currency, idempotency_key, kind, order_id, created_at) VALUES ($1, 'USD', $2, $3, $4, $5) RETURNING id`,
      [ids.network, key, kind, orderId, at],
    );
    const accounts: string[] = [];
    for (const l of lines) {
      await em.query(
        `INSERT INTO ledger_accounts (network_id, currency, code, member_id) VALUES ($1, 'USD', $2, $3) ON CONFLICT (network_id, currency, code) DO NOTHING`,
        [ids.network, l.accountCode, l.memberId ?? null],
      );
      const [acc]: { id: string }[] = await em.query(`SELECT id FROM ledger_accounts WHERE network_id = $1 AND currency = 'USD' AND code = $2`, [
        ids.network,
        l.accountCode,
      ]);
      accounts.push(acc.id);
    }
    await em.query(
      `INSERT INTO postings (entry_id, account_id, amount_minor, line, order_id, created_at)
       SELECT $1, t.a, t.amount, t.line, $5, $6 FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS t(a, amount, line)`,
      [entry.id, accounts, lines.map((l) => l.amount.toString()), lines.map((l) => l.line), orderId, at],
    );
  });
}

async function lastMigration(url: string): Promise<string> {
  const ds = new DataSource({ type: 'postgres', url });
  await ds.initialize();
  try {
    const [row]: { name: string }[] = await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
    return row.name;
  } finally {
    await ds.destroy();
  }
}

async function appOn(url: string, label: string) {
  const config = testConfig(url);
  const mod = await Test.createTestingModule({
    imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url }), JobsModule.forRoot(config), SettlementModule, HealthModule],
  }).compile();
  const app = await mod.init();
  return { app, label, clear: () => clearQueues(config.redisUrl, config.queuePrefix) };
}

const operator: Caller = { kind: 'OPERATOR', networkId: ids.network, keyId: 'op' };
const figures = (h: RelationshipHealth) => ({
  evaluation: h.evaluation,
  values: h.values,
  atRisk: h.atRisk,
  signals: h.signals,
});

describe('order fees migration (PostgreSQL)', () => {
  const apps: { app: INestApplicationContext; clear: () => Promise<void> }[] = [];
  const drops: (() => Promise<void>)[] = [];
  let migrated: INestApplicationContext;
  let twin: INestApplicationContext;
  let balancesBefore: Map<string, string>;

  beforeAll(async () => {
    // A database on the schema just before the move, filled as the old code wrote it.
    const old = await createTestDatabase('fees_migration');
    drops.push(old.drop);
    while ((await lastMigration(old.url)) !== BEFORE_MINE) await revertLastMigration(old.url);
    const raw = new DataSource({ type: 'postgres', url: old.url });
    await raw.initialize();
    await fill(raw, 'orders.fees');
    const rows: { code: string; total: string }[] = await raw.query(
      `SELECT a.code, sum(p.amount_minor)::text AS total FROM ledger_accounts a JOIN postings p ON p.account_id = a.id GROUP BY a.code`,
    );
    balancesBefore = new Map(rows.map((r) => [r.code, r.total]));
    await raw.destroy();
    await migrate(old.url);

    const fresh = await createTestDatabase('fees_twin');
    drops.push(fresh.drop);
    const m = await appOn(old.url, 'migrated');
    const t = await appOn(fresh.url, 'twin');
    apps.push(m, t);
    migrated = m.app;
    twin = t.app;
    await fill(twin.get(DataSource), 'order_fees');
  });

  afterAll(async () => {
    for (const a of apps) {
      await a.app.close();
      await a.clear();
    }
    for (const d of drops) await d();
  });

  it('drops orders.fees and keeps every breakdown exactly, as Order.fees reads it', async () => {
    const ds = migrated.get(DataSource);
    expect(await ds.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'fees'`)).toEqual([]);
    const loader = migrated.get(OrderFeesLoader);
    const ctx = {};
    const read = await Promise.all(orderIds.map((id) => loader.load(ctx, id)));
    expect(read).toEqual(breakdowns);
    expect(read.map((f) => f && storeFees(f))).toEqual(breakdowns.map(storeFees));
    expect(read[0]?.partnerShares.map((s) => [s.side, s.amount])).toEqual([
      ['CLIENT', 240n],
      ['SUPPLIER', 300n],
    ]);
  });

  it('keeps every balance', async () => {
    const balances = (app: INestApplicationContext) =>
      Promise.all([ids.client, ids.supplier, ids.p1, ids.p2, ids.other].map((m) => app.get(BalanceService).balance(operator, m, 'USD')));
    const after = await balances(migrated);
    expect(after).toEqual(await balances(twin));
    // And as the old schema summed them: receivable and payable per member.
    expect(after.map((b) => b.owedToHub.toString())).toEqual(
      [ids.client, ids.supplier, ids.p1, ids.p2, ids.other].map((m) => balancesBefore.get(`member:${m}:receivable`) ?? '0'),
    );
    expect(after[0]).toEqual({ currency: 'USD', owedToHub: 13200n + 1111n, owedByHub: 0n, net: -(13200n + 1111n) });
  });

  it('keeps every health figure', async () => {
    for (const m of [ids.client, ids.supplier, ids.p1, ids.p2, ids.other]) {
      const after = await migrated.get(HealthService).relationshipHealth(ids.network, m, now);
      const expected = await twin.get(HealthService).relationshipHealth(ids.network, m, now);
      expect(figures(after)).toEqual(figures(expected));
    }
    const supplier = await migrated.get(HealthService).relationshipHealth(ids.network, ids.supplier, now);
    expect(supplier.values.valueToHub).toBeGreaterThan(0n);
  });

  it('moves the breakdowns back onto orders.fees when reverted', async () => {
    const url = (migrated.get(DataSource).options as { url: string }).url;
    const ds = new DataSource({ type: 'postgres', url });
    await ds.initialize();
    try {
      // The views depend on order_fees: the later migrations go first.
      while ((await lastMigration(url)) !== BEFORE_MINE) await revertLastMigration(url);
      const rows: { id: string; fees: unknown }[] = await ds.query(`SELECT id, fees FROM orders`);
      const byId = new Map(rows.map((r) => [r.id, r.fees]));
      expect(orderIds.map((id) => byId.get(id))).toEqual(breakdowns.map((f) => JSON.parse(JSON.stringify(storeFees(f)))));
    } finally {
      await ds.destroy();
    }
  });
});
