import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DAY_MS, Page, badInput, decodeCursor, pageSize, requireIntInRange, toPage } from '@tandem/common';
import { allNetworkIds } from '@tandem/network';
import { TransactionRunner } from '@tandem/persistence';
import { HEALTH_OPTIONS, HealthOptions } from '../health/health.options';
import { HealthService, RelationshipHealth } from '../health/health.service';
import { NetworkStatsService } from '../measures/network-stats.service';
import { HealthEventEntity } from './health-event.entity';
import { HealthSnapshotEntity } from './health-snapshot.entity';

/** Advisory-lock namespace of health snapshots (first key of the two-key form). */
const HEALTH_LOCK_SPACE = 0x4ea17;
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

interface PreviousRow {
  member_id: string;
  computed_at: Date;
  score: string;
  credibility: string;
  reliability: string;
  intimacy: string;
  self_orientation: string;
  at_risk: boolean;
}

/**
 * The periodic job behind trends and at-risk events. For each network it
 * refreshes the network norms, recomputes every member's health in batches
 * and, under a per-network lock, writes a snapshot where something changed
 * (or daily) and an event where the at-risk flag flipped. Running it twice
 * writes nothing the second time: it is safe under at-least-once delivery.
 */
@Injectable()
export class HealthSnapshotService {
  private readonly log = new Logger(HealthSnapshotService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly networks: NetworkStatsService,
    private readonly health: HealthService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  /** Job 'snapshot-health': one network, or all of them. */
  async run(networkId?: string, now = new Date()): Promise<SnapshotSummary[]> {
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

  async snapshotNetwork(networkId: string, now = new Date()): Promise<SnapshotSummary> {
    const em = this.dataSource.manager;
    const network = await this.networks.network(em, networkId);
    const stats = await this.networks.refresh(em, network, now);
    const summary: SnapshotSummary = { networkId, members: 0, snapshots: 0, events: 0 };
    // The ids up front (16 bytes a member): a keyset over created_at would lose microseconds through Date.
    const ids: string[] = (await em.query(`SELECT id FROM member_facts WHERE network_id = $1 ORDER BY created_at, id`, [networkId])).map(
      (r: { id: string }) => r.id,
    );
    for (let i = 0; i < ids.length; i += this.options.batchSize) {
      const healths = await this.health.computeMany(em, network, stats, ids.slice(i, i + this.options.batchSize), now);
      const written = await this.record(networkId, healths, now);
      summary.members += healths.length;
      summary.snapshots += written.snapshots;
      summary.events += written.events;
    }
    return summary;
  }

  /** Decides and writes one batch; the lock makes concurrent runs of a network take turns. */
  private record(networkId: string, healths: RelationshipHealth[], now: Date): Promise<{ snapshots: number; events: number }> {
    return this.tx.run(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [HEALTH_LOCK_SPACE, networkId]);
      const previous = await this.latest(em, healths.map((h) => h.memberId));
      const snapshots: RelationshipHealth[] = [];
      const events: { h: RelationshipHealth; reason: string }[] = [];
      for (const h of healths) {
        const prev = previous.get(h.memberId);
        if (!prev || changed(prev, h, now)) snapshots.push(h);
        const wasAtRisk = prev?.at_risk ?? false;
        if (h.atRisk !== wasAtRisk) events.push({ h, reason: eventReason(h) });
      }
      if (snapshots.length > 0) await this.insertSnapshots(em, snapshots);
      if (events.length > 0) await this.insertEvents(em, events);
      return { snapshots: snapshots.length, events: events.length };
    });
  }

  private async latest(em: EntityManager, memberIds: string[]): Promise<Map<string, PreviousRow>> {
    const rows: PreviousRow[] = await em.query(
      `SELECT s.* FROM unnest($1::uuid[]) AS m(id)
         CROSS JOIN LATERAL (
           SELECT member_id, computed_at, score::text, credibility::text, reliability::text, intimacy::text,
                  self_orientation::text, at_risk
             FROM health_snapshots h WHERE h.member_id = m.id ORDER BY h.computed_at DESC, h.id DESC LIMIT 1
         ) s`,
      [memberIds],
    );
    return new Map(rows.map((r) => [r.member_id, r]));
  }

  private async insertSnapshots(em: EntityManager, list: RelationshipHealth[]): Promise<void> {
    const e = (h: RelationshipHealth) => h.evaluation;
    await em.query(
      `INSERT INTO health_snapshots (member_id, network_id, computed_at, score, credibility, reliability, intimacy,
              self_orientation, trust, value_to_member_minor, value_to_hub_minor, currency, at_risk)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::numeric[], $5::numeric[], $6::numeric[],
              $7::numeric[], $8::numeric[], $9::numeric[], $10::bigint[], $11::bigint[], $12::char(3)[], $13::boolean[])`,
      [
        list.map((h) => h.memberId),
        list.map((h) => h.networkId),
        list.map((h) => h.computedAt),
        list.map((h) => e(h).score),
        list.map((h) => e(h).credibility.value),
        list.map((h) => e(h).reliability.value),
        list.map((h) => e(h).intimacy.value),
        list.map((h) => e(h).selfOrientation.value),
        list.map((h) => e(h).trust),
        list.map((h) => h.values.valueToMember.toString()),
        list.map((h) => h.values.valueToHub.toString()),
        list.map((h) => h.currency),
        list.map((h) => h.atRisk),
      ],
    );
  }

  private async insertEvents(em: EntityManager, list: { h: RelationshipHealth; reason: string }[]): Promise<void> {
    await em.query(
      `INSERT INTO health_events (member_id, network_id, at, at_risk, score, reason)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::boolean[], $5::numeric[], $6::text[])`,
      [
        list.map((x) => x.h.memberId),
        list.map((x) => x.h.networkId),
        list.map((x) => x.h.computedAt),
        list.map((x) => x.h.atRisk),
        list.map((x) => x.h.evaluation.score),
        list.map((x) => x.reason),
      ],
    );
  }

  /** A member's snapshots, newest first. */
  async history(networkId: string, memberId: string, first: number | null | undefined): Promise<HealthSnapshotEntity[]> {
    const limit = first === null || first === undefined ? 100 : requireIntInRange(first, 'first', 0, 1000);
    return this.dataSource.getRepository(HealthSnapshotEntity).find({
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
    const repo = this.dataSource.getRepository(HealthEventEntity);
    const qb = repo
      .createQueryBuilder('e')
      .where('e.network_id = :networkId', { networkId })
      .orderBy('e.at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(size + 1);
    if (cursor) qb.andWhere('(e.at, e.id) < (:at, CAST(:id AS bigint))', { at: cursor.createdAt, id: cursor.id });
    const [rows, total] = await Promise.all([qb.getMany(), repo.count({ where: { networkId } })]);
    // The cursor helpers key rows by (createdAt, id): an event's instant is `at`.
    return toPage(rows.map((r) => Object.assign(r, { createdAt: r.at })), size, total);
  }
}

function changed(prev: PreviousRow, h: RelationshipHealth, now: Date): boolean {
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

function eventReason(h: RelationshipHealth): string {
  const head = h.atRisk ? `At risk: score ${h.evaluation.score}.` : `No longer at risk: score ${h.evaluation.score}.`;
  return [head, ...h.signals.slice(0, REASON_SIGNALS)].join(' ');
}
