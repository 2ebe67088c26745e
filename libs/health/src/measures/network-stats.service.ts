import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DAY_MS } from '@tandem/common';
import { findNetwork } from '@tandem/network';
import { HealthSettingsService } from '../settings/health-settings.service';
import { HealthNetwork, NetworkStats } from './network-stats';
import { NetworkStatsRepository } from './network-stats.repository';

/** A network whose stats compute this fast is recomputed as soon as an order was fulfilled or refunded since. */
export const CHEAP_STATS_MS = 50;

/**
 * Network-wide norms. They are the one O(network) read of health, so they are
 * cached in health_network_stats: the snapshot job refreshes them, and a read
 * recomputes them when they are missing or older than maxAgeMs, or when an
 * order was fulfilled or refunded (in part or in full) since and recomputing
 * is cheap (a small network). So a
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
    return {
      id: n.id,
      currency: n.currency,
      clientFeeBps: n.clientFeeBps,
      supplierFeeBps: n.supplierFeeBps,
      settings: await this.healthSettings.get(networkId, em),
    };
  }

  /** The cached stats when fresh enough for this window, otherwise recomputed and cached. */
  async current(em: EntityManager, network: HealthNetwork, now: Date, maxAgeMs: number): Promise<NetworkStats> {
    const cached = await NetworkStatsRepository.cached(em, network.id);
    if (
      cached &&
      cached.windowDays === network.settings.windowDays &&
      cached.currency === network.currency &&
      cached.computedAt.getTime() >= now.getTime() - maxAgeMs &&
      cached.computedAt.getTime() <= now.getTime() &&
      !(await this.cheapAndOutdated(em, network.id, cached.computedAt, now))
    ) {
      return cached;
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
    await NetworkStatsRepository.save(em, network.id, stats);
    return stats;
  }

  private async cheapAndOutdated(em: EntityManager, networkId: string, computedAt: Date, now: Date): Promise<boolean> {
    // Unknown cost (a fresh process) counts as cheap: one computation tells.
    if ((this.cost.get(networkId) ?? 0) >= CHEAP_STATS_MS) return false;
    return NetworkStatsRepository.businessChangedBetween(em, networkId, computedAt, now);
  }

  /**
   * One pass over the window's fulfilled orders of the network (index
   * health_orders_network_fulfilled), through routing's order_facts and
   * settlement's order_fee_facts.
   */
  async compute(em: EntityManager, network: HealthNetwork, now: Date): Promise<NetworkStats> {
    const started = Date.now();
    const from = new Date(now.getTime() - network.settings.windowDays * DAY_MS);
    const rows = await NetworkStatsRepository.categoryTotals(em, network.id, network.currency, from, now);
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
