import { HealthSettings } from '../settings/health-settings';

/** What health needs to know of a network. */
export interface HealthNetwork {
  id: string;
  currency: string;
  clientFeeBps: number;
  supplierFeeBps: number;
  settings: HealthSettings;
}

/** The network's fulfilled business over the trailing window, in its currency: orders refunded in full left out, those refunded in part at their net. */
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
