import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, DAY_MS, Page, badInput, decodeCursor, pageSize, requireIntInRange, toPage } from '@tandem/common';
import { allNetworkIds } from '@tandem/network';
import { OutboxService, publishEvent } from '@tandem/jobs';
import { InjectReadDataSource, TransactionRunner } from '@tandem/persistence';
import { HEALTH_OPTIONS, HealthOptions } from '../health/health.options';
import { HealthService, RelationshipHealth } from '../health/health.service';
import { NetworkStatsService } from '../measures/network-stats.service';
import { RelationshipsService, turnEventLoop } from '../relationships/relationships.service';
import { HealthEventEntity } from './health-event.entity';
import { HealthSnapshotEntity } from './health-snapshot.entity';
import { HealthSnapshotRepository, LatestSnapshotRow, NewHealthEvent, NewSnapshot } from './health-snapshot.repository';
/** A snapshot is written when something moved at least this much (tenths of a point)... */
const SCORE_STEP_TENTHS = 5;
const PART_STEP_HUNDREDTHS = 50;
/** ...or once a day anyway, so trends have a point per day. */
const HEARTBEAT_MS = DAY_MS;
/** How many signals an event keeps as its reason. */
const REASON_SIGNALS = 4;

export interface SnapshotSummary {
  networkId: string;
  members: number;
  snapshots: number;
  events: number;
}

/**
 * The periodic job behind trends and at-risk events. For each network it
 * refreshes the network norms, recomputes every member's health in batches
 * and, under a per-network lock, writes a snapshot where something changed
 * (or daily) and an event where the at-risk flag flipped. Each batch also
 * rewrites those members' rows of the relationships list. Running it twice
 * writes nothing the second time: it is safe under at-least-once delivery.
 */
@Injectable()
export class HealthSnapshotService {
  private readonly log = new Logger(HealthSnapshotService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** history and events may lag (DATABASE_READ_URL); the job itself reads and writes the primary. */
    @InjectReadDataSource() private readonly reads: DataSource,
    private readonly tx: TransactionRunner,
    private readonly networks: NetworkStatsService,
    private readonly health: HealthService,
    private readonly relationships: RelationshipsService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly clock: Clock,
  ) {}

  /** Job 'snapshot-health': one network, or all of them. */
  async run(networkId?: string, now = this.clock.now()): Promise<SnapshotSummary[]> {
    if (networkId) return [await this.snapshotNetwork(networkId, now)];
    const out: SnapshotSummary[] = [];
    for (const id of await allNetworkIds(this.dataSource.manager)) {
      try {
        out.push(await this.snapshotNetwork(id, now));
      } catch (e) {
        // One network's failure must not starve the others; the next run retries it.
        this.log.error(`health snapshot of network ${id} failed: ${(e as Error).message}`);
      }
    }
    return out;
  }

  async snapshotNetwork(networkId: string, now = this.clock.now()): Promise<SnapshotSummary> {
    const em = this.dataSource.manager;
    const network = await this.networks.network(em, networkId);
    const stats = await this.networks.refresh(em, network, now);
    const summary: SnapshotSummary = { networkId, members: 0, snapshots: 0, events: 0 };
    // The ids up front (16 bytes a member): a keyset over created_at would lose microseconds through Date.
    const ids = await HealthSnapshotRepository.memberIdsOf(em, networkId);
    for (let i = 0; i < ids.length; i += this.options.batchSize) {
      const healths = await this.health.computeMany(em, network, stats, ids.slice(i, i + this.options.batchSize), now);
      const written = await this.record(networkId, healths, now);
      // Every member's row of the relationships list follows the full pass too.
      await this.relationships.store(em, healths);
      summary.members += healths.length;
      summary.snapshots += written.snapshots;
      summary.events += written.events;
      // A pass over a large network outlasts the list's refresh interval: keep the list within its lag meanwhile.
      await this.relationships.refreshIfDue();
      // 200 batches at 100,000 members: other jobs of the worker get the loop between them.
      await turnEventLoop();
    }
    return summary;
  }

  /** Decides and writes one batch; the lock makes concurrent runs of a network take turns. */
  private record(networkId: string, healths: RelationshipHealth[], now: Date): Promise<{ snapshots: number; events: number }> {
    return this.tx.run(async (em) => {
      await HealthSnapshotRepository.lockNetwork(em, networkId);
      const latest = await HealthSnapshotRepository.latestOf(
        em,
        healths.map((h) => h.memberId),
      );
      const previous = new Map(latest.map((r) => [r.member_id, r]));
      const snapshots: NewSnapshot[] = [];
      const events: NewHealthEvent[] = [];
      for (const h of healths) {
        const prev = previous.get(h.memberId);
        if (!prev || changed(prev, h, now)) snapshots.push(toSnapshot(h));
        const wasAtRisk = prev?.at_risk ?? false;
        if (h.atRisk !== wasAtRisk) events.push(toEvent(h));
      }
      if (snapshots.length > 0) await HealthSnapshotRepository.insertSnapshots(em, snapshots);
      if (events.length > 0) await HealthSnapshotRepository.insertEvents(em, events);
      // A member turning at risk is told to webhooks in the same transaction (docs/api.md, "Webhooks and subscriptions").
      for (const e of events.filter((x) => x.atRisk))
        await publishEvent(new OutboxService(em.connection), em, { type: 'health.at_risk', networkId, data: { memberId: e.memberId } });
      return { snapshots: snapshots.length, events: events.length };
    });
  }

  /** A member's snapshots, newest first. */
  async history(networkId: string, memberId: string, first: number | null | undefined): Promise<HealthSnapshotEntity[]> {
    const limit = first === null || first === undefined ? 100 : requireIntInRange(first, 'first', 0, 1000);
    return this.reads.getRepository(HealthSnapshotEntity).find({
      where: { networkId, memberId },
      order: { computedAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** The network's at-risk events, newest first, as a Relay page. */
  async events(networkId: string, first: number | null | undefined, after: string | null | undefined): Promise<Page<HealthEventEntity & { createdAt: Date }>> {
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after) : null;
    if (cursor && !/^\d{1,19}$/.test(cursor.id)) throw badInput('after is not a cursor from this list', 'after');
    const repo = this.reads.getRepository(HealthEventEntity);
    const qb = repo
      .createQueryBuilder('e')
      .where('e.network_id = :networkId', { networkId })
      .orderBy('e.at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(size + 1);
    if (cursor) qb.andWhere('(e.at, e.id) < (:at, CAST(:id AS bigint))', { at: cursor.createdAt, id: cursor.id });
    const [rows, total] = await Promise.all([qb.getMany(), repo.count({ where: { networkId } })]);
    // The cursor helpers key rows by (createdAt, id): an event's instant is `at`.
    return toPage(
      rows.map((r) => Object.assign(r, { createdAt: r.at })),
      size,
      total,
      cursor,
    );
  }
}

function toSnapshot(h: RelationshipHealth): NewSnapshot {
  const e = h.evaluation;
  return {
    memberId: h.memberId,
    networkId: h.networkId,
    computedAt: h.computedAt,
    score: e.score,
    credibility: e.credibility.value,
    reliability: e.reliability.value,
    intimacy: e.intimacy.value,
    selfOrientation: e.selfOrientation.value,
    trust: e.trust,
    valueToMemberMinor: h.values.valueToMember,
    valueToHubMinor: h.values.valueToHub,
    currency: h.currency,
    atRisk: h.atRisk,
  };
}

function changed(prev: LatestSnapshotRow, h: RelationshipHealth, now: Date): boolean {
  const e = h.evaluation;
  const tenths = (x: number | string) => Math.round(Number(x) * 10);
  const hundredths = (x: number | string) => Math.round(Number(x) * 100);
  return (
    prev.at_risk !== h.atRisk ||
    Math.abs(tenths(prev.score) - tenths(e.score)) >= SCORE_STEP_TENTHS ||
    Math.abs(hundredths(prev.credibility) - hundredths(e.credibility.value)) >= PART_STEP_HUNDREDTHS ||
    Math.abs(hundredths(prev.reliability) - hundredths(e.reliability.value)) >= PART_STEP_HUNDREDTHS ||
    Math.abs(hundredths(prev.intimacy) - hundredths(e.intimacy.value)) >= PART_STEP_HUNDREDTHS ||
    Math.abs(hundredths(prev.self_orientation) - hundredths(e.selfOrientation.value)) >= PART_STEP_HUNDREDTHS ||
    prev.computed_at.getTime() <= now.getTime() - HEARTBEAT_MS
  );
}

/** An at-risk flip; its reason holds the signals at that moment. */
function toEvent(h: RelationshipHealth): NewHealthEvent {
  const head = h.atRisk ? `At risk: score ${h.evaluation.score}.` : `No longer at risk: score ${h.evaluation.score}.`;
  const reason = [head, ...h.signals.slice(0, REASON_SIGNALS)].join(' ');
  return { memberId: h.memberId, networkId: h.networkId, at: h.computedAt, atRisk: h.atRisk, score: h.evaluation.score, reason };
}
