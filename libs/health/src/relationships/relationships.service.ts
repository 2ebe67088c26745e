import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { memberSearch } from '@tandem/network';
import { InjectReadDataSource } from '@tandem/persistence';
import { Clock, Page, Role, badInput, decodeScoreCursor, encodeScoreCursor, isUuid, pageOf, pageSize } from '@tandem/common';
import { HEALTH_OPTIONS, HealthOptions } from '../health/health.options';
import { HealthService, RelationshipHealth } from '../health/health.service';
import { RelationshipHealthObject, toRelationshipHealthObject } from '../health/relationship-health.object';
import { NetworkStatsService } from '../measures/network-stats.service';
import { RelationshipFilter, RelationshipsRepository } from './relationships.repository';

/**
 * How often the worker refreshes the relationships list. The list may lag
 * order events and postings by up to 60 s (relationshipHealth stays exact): a refresh
 * every 20 s, plus the time it takes, stays well within that.
 */
export const RELATIONSHIPS_REFRESH_EVERY_MS = 20_000;

/**
 * How far back of its mark each refresh reads again. updated_at and created_at
 * are written when a transaction runs, not when it commits: a change committed
 * up to this long after its timestamp is still found. Reading a few members twice costs little.
 */
const MARK_OVERLAP_MS = 10_000;

export interface RelationshipListArgs {
  role?: Role | null;
  atRisk?: boolean | null;
  /** Part of the member's name, any case; blank is no search. */
  search?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface RefreshSummary {
  members: number;
  networks: number;
}

/**
 * The operator's relationships list: every member's RelationshipHealth,
 * weakest first, read from one row per member (health_relationships) rather
 * than recomputed. Rows are refreshed by the worker every
 * RELATIONSHIPS_REFRESH_EVERY_MS for the members whose orders or postings
 * changed since the last refresh, and for every member by the health snapshot
 * (which also catches what no order or posting reveals: the sliding window,
 * network norms, fee terms). relationshipHealth(memberId) stays computed on read.
 */
@Injectable()
export class RelationshipsService {
  private readonly log = new Logger(RelationshipsService.name);
  /** When this process last started a refresh (the snapshot job refreshes between its batches when one is due). */
  private lastRefreshAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** The list may lag (DATABASE_READ_URL); the refresh reads and writes the primary. */
    @InjectReadDataSource() private readonly reads: DataSource,
    private readonly networks: NetworkStatsService,
    private readonly health: HealthService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly clock: Clock,
  ) {}

  /** A page of the network's list, score ascending then member id; totalCount counts the whole filtered list. */
  async list(networkId: string, args: RelationshipListArgs): Promise<Page<RelationshipHealthObject>> {
    const size = pageSize(args.first);
    const after = args.after ? decodeScoreCursor(args.after) : null;
    if (after && !isUuid(after.id)) throw badInput('after is not a cursor from this list', 'after');
    const filter: RelationshipFilter = { networkId, role: args.role ?? null, atRisk: args.atRisk ?? null, nameLike: memberSearch(args.search) };
    const em = this.reads.manager;
    const [rows, totalCount, hasPrevious] = await Promise.all([
      RelationshipsRepository.page(em, filter, after, size + 1),
      RelationshipsRepository.count(em, filter),
      after ? RelationshipsRepository.anyAtOrBefore(em, filter, after) : Promise.resolve(false),
    ]);
    const nodes = rows.map((r) => ({ ...fromStored(r.health), score: Number(r.score_text), memberId: r.member_id }));
    return pageOf(nodes, size, totalCount, (n) => encodeScoreCursor({ score: n.score, id: n.memberId }), hasPrevious);
  }

  /** Writes the rows of freshly computed healths (the refresh, and the snapshot job for every member). */
  async store(em: EntityManager, healths: readonly RelationshipHealth[]): Promise<void> {
    if (healths.length === 0) return;
    await RelationshipsRepository.upsert(
      em,
      healths.map((h) => ({
        memberId: h.memberId,
        networkId: h.networkId,
        roles: h.measures.roles,
        vettingStatus: h.measures.vettingStatus,
        score: h.evaluation.score,
        atRisk: h.atRisk,
        health: JSON.stringify(toRelationshipHealthObject(h)),
        computedAt: h.computedAt,
      })),
    );
  }

  /**
   * Job 'refresh-relationships': recomputes the members whose orders or
   * postings changed since the mark, and those without a row or whose roles or
   * vetting status moved; then moves the mark to when this run started. A
   * failure leaves the mark, so the next run reads the same changes again.
   */
  async refreshChanged(now = this.clock.now()): Promise<RefreshSummary> {
    this.lastRefreshAt = Date.now();
    const em = this.dataSource.manager;
    const mark = await RelationshipsRepository.mark(em);
    const since = mark ? new Date(mark.getTime() - MARK_OVERLAP_MS) : null;
    const changed = await RelationshipsRepository.changedMembers(em, since);
    const byNetwork = groupByNetwork(changed);
    for (const [networkId, memberIds] of byNetwork) await this.refreshMembers(networkId, memberIds, now);
    await RelationshipsRepository.saveMark(em, now);
    return { members: changed.length, networks: byNetwork.size };
  }

  /** A refresh when the last one in this process is older than the interval: the long snapshot job calls it between batches. */
  async refreshIfDue(): Promise<void> {
    if (Date.now() - this.lastRefreshAt < RELATIONSHIPS_REFRESH_EVERY_MS) return;
    try {
      await this.refreshChanged();
    } catch (e) {
      // The snapshot job goes on; the scheduled refresh retries.
      this.log.error(`relationships refresh failed: ${(e as Error).message}`);
    }
  }

  /**
   * Recomputes and stores the members of one network, in the snapshot's batch
   * size, letting the event loop turn between batches: a first build of 100,000
   * members is 200 batches, and the worker's other jobs (routing) must keep
   * renewing their locks meanwhile.
   */
  async refreshMembers(networkId: string, memberIds: readonly string[], now = this.clock.now()): Promise<void> {
    const em = this.dataSource.manager;
    const network = await this.networks.network(em, networkId);
    const stats = await this.networks.current(em, network, now, this.options.statsMaxAgeMs);
    for (let i = 0; i < memberIds.length; i += this.options.batchSize) {
      await this.store(em, await this.health.computeMany(em, network, stats, memberIds.slice(i, i + this.options.batchSize), now));
      await turnEventLoop();
    }
  }
}

/**
 * The changed members by network, in one linear pass. (Copying each network's
 * list on every member, as this once did, is quadratic: 20,000 members took 5 s
 * of one core and 100,000 about two minutes, with the worker's event loop
 * blocked throughout, so routing jobs lost their locks.)
 */
export function groupByNetwork(rows: readonly { network_id: string; member_id: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const ids = out.get(r.network_id);
    if (ids) ids.push(r.member_id);
    else out.set(r.network_id, [r.member_id]);
  }
  return out;
}

/** Resolves after the event loop has run what is waiting (timers, socket reads such as BullMQ's lock renewals). */
export function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The stored object back: JSON keeps everything but the computation's instant, which comes back as a Date. */
function fromStored(json: Record<string, unknown>): RelationshipHealthObject {
  const h = json as unknown as RelationshipHealthObject & { computedAt: string };
  return { ...h, computedAt: new Date(h.computedAt) };
}
