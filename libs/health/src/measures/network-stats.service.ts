import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DAY_MS } from '@tandem/common';
import { findNetwork } from '@tandem/network';
import { HealthSettings } from '../settings/health-settings';
import { HealthSettingsService } from '../settings/health-settings.service';


/** What health needs to know of a network. */
export interface HealthNetwork {
  id: string;
  currency: string;
  clientFeeBps: number;
  supplierFeeBps: number;
  settings: HealthSettings;
}

/** The network's fulfilled (and not refunded) business over the trailing window, in its currency. */
export interface NetworkStats {
  computedAt: Date;
  windowDays: number;
  currency: string;
  orders: number;
  price: bigint;
  clientFees: bigint;
  supplierFees: bigint;
  /** Partner shares paid out of client fees, and out of supplier fees. */
  clientShares: bigint;
  supplierShares: bigint;
  /** Price of the window's business per category. */
  categories: Map<string, bigint>;
}

export interface TakeNorm {
  client: number;
  supplier: number;
  source: 'NETWORK' | 'SCHEDULE';
}

/**
 * The hub's average take per side, as a fraction of the price. Without any
 * business in the window the network's own schedule stands in for it.
 */
export function takeNormOf(stats: NetworkStats, network: HealthNetwork): TakeNorm {
  if (stats.price <= 0n) return { client: network.clientFeeBps / 10_000, supplier: network.supplierFeeBps / 10_000, source: 'SCHEDULE' };
  const price = Number(stats.price);
  return {
    client: Number(stats.clientFees - stats.clientShares) / price,
    supplier: Number(stats.supplierFees - stats.supplierShares) / price,
    source: 'NETWORK',
  };
}

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

/** A network whose stats compute this fast is recomputed as soon as an order was fulfilled since. */
export const CHEAP_STATS_MS = 50;

/**
 * Network-wide norms. They are the one O(network) read of health, so they are
 * cached in health_network_stats: the snapshot job refreshes them, and a read
 * recomputes them when they are missing or older than maxAgeMs, or when an
 * order was fulfilled since and recomputing is cheap (a small network). So a
 * small network is always exact, and a large one, where one order barely
 * moves an average, lags at most maxAgeMs.
 */
@Injectable()
export class NetworkStatsService {
  /** How long the last computation of each network took, in this process. */
  private readonly cost = new Map<string, number>();
  /** Computations under way: concurrent reads that find the cache stale wait for one, not start their own. */
  private readonly inflight = new Map<string, Promise<NetworkStats>>();

  constructor(private readonly healthSettings: HealthSettingsService) {}

  async network(em: EntityManager, networkId: string): Promise<HealthNetwork> {
    const n = await findNetwork(em, networkId);
    return { id: n.id, currency: n.currency, clientFeeBps: n.clientFeeBps, supplierFeeBps: n.supplierFeeBps, settings: await this.healthSettings.get(networkId, em) };
  }

  /** The cached stats when fresh enough for this window, otherwise recomputed and cached. */
  async current(em: EntityManager, network: HealthNetwork, now: Date, maxAgeMs: number): Promise<NetworkStats> {
    const rows: StatsRow[] = await em.query(`SELECT * FROM health_network_stats WHERE network_id = $1`, [network.id]);
    const row = rows[0];
    if (
      row &&
      row.window_days === network.settings.windowDays &&
      row.currency === network.currency &&
      row.computed_at.getTime() >= now.getTime() - maxAgeMs &&
      row.computed_at.getTime() <= now.getTime() &&
      !(await this.cheapAndOutdated(em, network.id, row.computed_at, now))
    ) {
      return fromRow(row);
    }
    let pending = this.inflight.get(network.id);
    if (!pending) {
      pending = this.refresh(em, network, now).finally(() => this.inflight.delete(network.id));
      this.inflight.set(network.id, pending);
    }
    return pending;
  }

  async refresh(em: EntityManager, network: HealthNetwork, now: Date): Promise<NetworkStats> {
    const stats = await this.compute(em, network, now);
    await em.query(
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
        network.id,
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
    return stats;
  }

  private async cheapAndOutdated(em: EntityManager, networkId: string, computedAt: Date, now: Date): Promise<boolean> {
    // Unknown cost (a fresh process) counts as cheap: one computation tells.
    if ((this.cost.get(networkId) ?? 0) >= CHEAP_STATS_MS) return false;
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM order_facts WHERE network_id = $1 AND fulfilled_at > $2 AND fulfilled_at <= $3 LIMIT 1`,
      [networkId, computedAt, now],
    );
    return rows.length > 0;
  }

  /**
   * One pass over the window's fulfilled orders of the network (index
   * health_orders_network_fulfilled), through routing's order_facts and
   * settlement's order_fee_facts.
   */
  async compute(em: EntityManager, network: HealthNetwork, now: Date): Promise<NetworkStats> {
    const started = Date.now();
    const from = new Date(now.getTime() - network.settings.windowDays * DAY_MS);
    const rows: { category: string; orders: number; price: string; client_fees: string; supplier_fees: string; client_shares: string; supplier_shares: string }[] =
      await em.query(
        `SELECT o.category, count(*)::int AS orders,
                sum(f.price_minor)::text AS price,
                sum(f.client_fee_minor)::text AS client_fees,
                sum(f.supplier_fee_minor)::text AS supplier_fees,
                sum(f.client_share_minor)::text AS client_shares,
                sum(f.supplier_share_minor)::text AS supplier_shares
           FROM order_facts o JOIN order_fee_facts f ON f.order_id = o.id
          WHERE o.network_id = $1 AND o.fulfilled_at >= $2 AND o.fulfilled_at <= $3
            AND o.refunded_at IS NULL AND o.currency = $4
          GROUP BY o.category`,
        [network.id, from, now, network.currency],
      );
    const stats: NetworkStats = {
      computedAt: now,
      windowDays: network.settings.windowDays,
      currency: network.currency,
      orders: 0,
      price: 0n,
      clientFees: 0n,
      supplierFees: 0n,
      clientShares: 0n,
      supplierShares: 0n,
      categories: new Map(),
    };
    for (const r of rows) {
      stats.orders += r.orders;
      stats.price += BigInt(r.price);
      stats.clientFees += BigInt(r.client_fees);
      stats.supplierFees += BigInt(r.supplier_fees);
      stats.clientShares += BigInt(r.client_shares);
      stats.supplierShares += BigInt(r.supplier_shares);
      stats.categories.set(r.category, BigInt(r.price));
    }
    this.cost.set(network.id, Date.now() - started);
    return stats;
  }
}

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
