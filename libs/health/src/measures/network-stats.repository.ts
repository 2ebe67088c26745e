import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';
import { NetworkStats } from './network-stats';

interface StatsRow {
  computed_at: Date;
  window_days: number;
  currency: string;
  orders: number;
  price_minor: string;
  client_fees_minor: string;
  supplier_fees_minor: string;
  client_shares_minor: string;
  supplier_shares_minor: string;
  categories: Record<string, string>;
}

/** One category's fulfilled, unrefunded business in the window, net of partial refunds (sums as text: bigint minor units). */
export interface CategoryTotalsRow {
  category: string;
  orders: number;
  price: string;
  client_fees: string;
  supplier_fees: string;
  client_shares: string;
  supplier_shares: string;
}

/**
 * What the refunds of each order reversed so far, leg by leg (settlement's
 * order_refund_facts). An order refunded in part counts at its net: the price
 * and each leg less what its refunds gave back (an order refunded in full has
 * refunded_at set and is left out altogether). Refunds are few beside orders,
 * so this aggregate of the network's refunds is small and joins by hash.
 */
const REFUNDS_BY_ORDER = `SELECT order_id, sum(amount_minor) AS price, sum(client_fee_minor) AS client_fee, sum(supplier_fee_minor) AS supplier_fee,
         sum(client_share_minor) AS client_share, sum(supplier_share_minor) AS supplier_share
    FROM order_refund_facts WHERE network_id = $1 GROUP BY order_id`;

/**
 * The SQL of health_network_stats (the cache of the network norms), and the
 * network-wide read behind it through routing's order_facts and settlement's
 * order_fee_facts.
 */
export const NetworkStatsRepository = {
  async cached(em: EntityManager, networkId: string): Promise<NetworkStats | undefined> {
    const row = await selectRow<StatsRow>(em, `SELECT * FROM health_network_stats WHERE network_id = $1`, [networkId]);
    return row && fromRow(row);
  },

  async save(em: EntityManager, networkId: string, stats: NetworkStats): Promise<void> {
    await execute(
      em,
      `INSERT INTO health_network_stats (network_id, computed_at, window_days, currency, orders, price_minor, client_fees_minor,
              supplier_fees_minor, client_shares_minor, supplier_shares_minor, categories)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (network_id) DO UPDATE SET computed_at = EXCLUDED.computed_at, window_days = EXCLUDED.window_days,
              currency = EXCLUDED.currency, orders = EXCLUDED.orders, price_minor = EXCLUDED.price_minor,
              client_fees_minor = EXCLUDED.client_fees_minor, supplier_fees_minor = EXCLUDED.supplier_fees_minor,
              client_shares_minor = EXCLUDED.client_shares_minor, supplier_shares_minor = EXCLUDED.supplier_shares_minor,
              categories = EXCLUDED.categories
        -- Two refreshes racing: the later computation wins, whichever commits last.
        WHERE health_network_stats.computed_at <= EXCLUDED.computed_at`,
      [
        networkId,
        stats.computedAt,
        stats.windowDays,
        stats.currency,
        stats.orders,
        stats.price.toString(),
        stats.clientFees.toString(),
        stats.supplierFees.toString(),
        stats.clientShares.toString(),
        stats.supplierShares.toString(),
        JSON.stringify(Object.fromEntries([...stats.categories].map(([k, v]) => [k, v.toString()]))),
      ],
    );
  },

  /**
   * Whether the network's fulfilled business changed in (after, until]: an order
   * fulfilled, or one refunded in part or in full (its status and updated_at,
   * through the partial index orders_posting_sweep).
   */
  async businessChangedBetween(em: EntityManager, networkId: string, after: Date, until: Date): Promise<boolean> {
    const row = await selectRow<{ changed: boolean }>(
      em,
      `SELECT EXISTS (SELECT 1 FROM order_facts WHERE network_id = $1 AND fulfilled_at > $2 AND fulfilled_at <= $3)
           OR EXISTS (SELECT 1 FROM order_facts WHERE network_id = $1 AND status IN ('PARTIALLY_REFUNDED', 'REFUNDED')
                         AND updated_at > $2 AND updated_at <= $3) AS changed`,
      [networkId, after, until],
    );
    return row?.changed === true;
  },

  /** One pass over the window's fulfilled orders of the network in its currency (index health_orders_network_fulfilled). */
  categoryTotals(em: EntityManager, networkId: string, currency: string, from: Date, until: Date): Promise<CategoryTotalsRow[]> {
    return selectRows<CategoryTotalsRow>(
      em,
      `SELECT o.category, count(*)::int AS orders,
              sum(f.price_minor - coalesce(r.price, 0))::text AS price,
              sum(f.client_fee_minor - coalesce(r.client_fee, 0))::text AS client_fees,
              sum(f.supplier_fee_minor - coalesce(r.supplier_fee, 0))::text AS supplier_fees,
              sum(f.client_share_minor - coalesce(r.client_share, 0))::text AS client_shares,
              sum(f.supplier_share_minor - coalesce(r.supplier_share, 0))::text AS supplier_shares
         FROM order_facts o JOIN order_fee_facts f ON f.order_id = o.id
         LEFT JOIN (${REFUNDS_BY_ORDER}) r ON r.order_id = o.id
        WHERE o.network_id = $1 AND o.fulfilled_at >= $2 AND o.fulfilled_at <= $3
          AND o.refunded_at IS NULL AND o.currency = $4
        GROUP BY o.category`,
      [networkId, from, until, currency],
    );
  },
};

function fromRow(r: StatsRow): NetworkStats {
  return {
    computedAt: r.computed_at,
    windowDays: r.window_days,
    currency: r.currency,
    orders: r.orders,
    price: BigInt(r.price_minor),
    clientFees: BigInt(r.client_fees_minor),
    supplierFees: BigInt(r.supplier_fees_minor),
    clientShares: BigInt(r.client_shares_minor),
    supplierShares: BigInt(r.supplier_shares_minor),
    categories: new Map(Object.entries(r.categories ?? {}).map(([k, v]) => [k, BigInt(v)])),
  };
}
