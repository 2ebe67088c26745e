import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, DAY_MS, notFound } from '@tandem/common';
import { queryAll } from '@tandem/persistence';
import { HealthMeasuresService } from '../measures/health-measures.service';
import { HealthSnapshotRepository } from '../snapshot/health-snapshot.repository';
import { HealthNetwork, NetworkStats } from '../measures/network-stats';
import { NetworkStatsService } from '../measures/network-stats.service';
import { HealthMeasures } from '../trust/health-measures';
import { healthSignals } from '../trust/health-signals';
import { RelationshipValues, TrustEvaluation, assessRisk, evaluateTrust, relationshipValues } from '../trust/trust-equation';
import { HEALTH_OPTIONS, HealthOptions } from './health.options';

/**
 * How one supplier stands with the hub, as routing's ranking weighs it (its
 * SupplierHealthSource port): each figure 0 (poor) to 1 (excellent), 0.5 neutral.
 */
export interface SupplierStanding {
  /** Relationship health: the trust equation's score / 100. */
  health: number;
  /**
   * The trust equation's reliability part / 10: the one reliability measure of
   * the platform (docs/health.md, "Routing"). Routing computes none of its own.
   */
  reliability: number;
}

/** The score runs 0 to 100 and each part 1 to 10: dividing maps the neutral 50 and 5 both to routing's neutral 0.5. */
const SCORE_SCALE = 100;
const PART_SCALE = 10;

/** One member's relationship health, computed now from what the platform recorded. */
export interface RelationshipHealth {
  memberId: string;
  networkId: string;
  currency: string;
  computedAt: Date;
  windowDays: number;
  measures: HealthMeasures;
  evaluation: TrustEvaluation;
  values: RelationshipValues;
  acquisitionBaseline: bigint | null;
  atRisk: boolean;
  signals: string[];
}

/**
 * Relationship health, computed on read (so it follows every order event and
 * posting at once), for one member or a batch. The trust equation itself is
 * pure (trust/trust-equation.ts); this service gathers and assembles.
 */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly networks: NetworkStatsService,
    private readonly gatherer: HealthMeasuresService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly clock: Clock,
  ) {}

  /** The member's health now; NOT_FOUND unless it is a member of the network. */
  async relationshipHealth(networkId: string, memberId: string, now = this.clock.now()): Promise<RelationshipHealth> {
    const em = this.dataSource.manager;
    const network = await this.networks.network(em, networkId);
    const stats = await this.networks.current(em, network, now, this.options.statsMaxAgeMs);
    const [health] = await this.computeMany(em, network, stats, [memberId], now);
    if (!health) throw notFound('Member');
    return health;
  }

  /** Health of each member of the list that belongs to the network (others are left out), in list order. */
  async computeMany(em: EntityManager, network: HealthNetwork, stats: NetworkStats, memberIds: readonly string[], now: Date): Promise<RelationshipHealth[]> {
    const [gathered, best] = await queryAll(em, [
      () => this.gatherer.gather(em, network, stats, memberIds, now),
      () => this.bestRecentScores(em, memberIds, now, network.settings.dropLookbackDays),
    ] as const);
    const rules = network.settings;
    const out: RelationshipHealth[] = [];
    for (const id of memberIds) {
      const g = gathered.get(id);
      if (!g) continue;
      const evaluation = evaluateTrust(g.measures);
      const values = relationshipValues(g.measures);
      const risk = assessRisk(evaluation.score, best.get(id) ?? null, rules);
      out.push({
        memberId: id,
        networkId: network.id,
        currency: network.currency,
        computedAt: now,
        windowDays: network.settings.windowDays,
        measures: g.measures,
        evaluation,
        values,
        acquisitionBaseline: g.acquisitionBaseline,
        atRisk: risk.atRisk,
        signals: healthSignals({
          measures: g.measures,
          evaluation,
          risk,
          rules,
          currency: network.currency,
          acquisitionCostPerOrder: values.acquisitionCostPerOrder,
          acquisitionBaseline: g.acquisitionBaseline,
        }),
      });
    }
    return out;
  }

  /** The best snapshot score of each member over the lookback period: the reference of the sharp-drop rule. */
  async bestRecentScores(em: EntityManager, memberIds: readonly string[], now: Date, lookbackDays: number): Promise<Map<string, number>> {
    if (memberIds.length === 0) return new Map();
    const rows = await HealthSnapshotRepository.bestScoresOf(em, memberIds, new Date(now.getTime() - lookbackDays * DAY_MS), now);
    return new Map(rows.map((r) => [r.member_id, Number(r.best)]));
  }

  /** Each supplier's latest snapshot score / 100 (left out: not snapshotted yet, or outside the network). */
  async healthOf(em: EntityManager, networkId: string, supplierIds: readonly string[]): Promise<Map<string, number>> {
    const standings = await this.standingsOf(em, networkId, supplierIds);
    return new Map([...standings].map(([id, s]) => [id, s.health]));
  }

  /**
   * Routing's SupplierHealthSource port, from the latest snapshots only, so a
   * routing pass costs one indexed read; a supplier not snapshotted yet is left
   * out (neutral). `reliability` is the one reliability measure of the platform:
   * routing's ranking weighs the trust equation's reliability part (reliabilityOf
   * in trust/trust-equation.ts) and computes none of its own (docs/health.md, "Routing").
   */
  async standingsOf(em: EntityManager, networkId: string, supplierIds: readonly string[]): Promise<Map<string, SupplierStanding>> {
    const ids = [...new Set(supplierIds)];
    if (ids.length === 0) return new Map();
    const rows = await HealthSnapshotRepository.latestStandingsOf(em, networkId, ids);
    return new Map(rows.map((r) => [r.member_id, { health: Number(r.score) / SCORE_SCALE, reliability: Number(r.reliability) / PART_SCALE }]));
  }
}
