import { EntityManager } from 'typeorm';
import { execute, selectRows, selectRowsPrepared } from '@tandem/persistence';

/** Advisory-lock namespace of health snapshots (first key of the two-key form). */
const HEALTH_LOCK_SPACE = 0x4ea17;

/** A member's latest snapshot, as the snapshot job compares it with the health computed now. */
export interface LatestSnapshotRow {
  member_id: string;
  computed_at: Date;
  score: string;
  credibility: string;
  reliability: string;
  intimacy: string;
  self_orientation: string;
  at_risk: boolean;
}

/** The columns of one snapshot to write; numbers as the trust equation rounded them. */
export interface NewSnapshot {
  memberId: string;
  networkId: string;
  computedAt: Date;
  score: number;
  credibility: number;
  reliability: number;
  intimacy: number;
  selfOrientation: number;
  trust: number;
  valueToMemberMinor: bigint;
  valueToHubMinor: bigint;
  currency: string;
  atRisk: boolean;
}

export interface NewHealthEvent {
  memberId: string;
  networkId: string;
  at: Date;
  atRisk: boolean;
  score: number;
  reason: string;
}

/** The raw SQL of health_snapshots and health_events (and the member list the job walks, from network's member_facts). */
export const HealthSnapshotRepository = {
  /** Every member id of the network, oldest first: 16 bytes a member, so the job can batch without a keyset on created_at. */
  async memberIdsOf(em: EntityManager, networkId: string): Promise<string[]> {
    const rows = await selectRows<{ id: string }>(em, `SELECT id FROM member_facts WHERE network_id = $1 ORDER BY created_at, id`, [networkId]);
    return rows.map((r) => r.id);
  },

  /** Held to the end of the transaction: concurrent snapshot runs of one network take turns. */
  async lockNetwork(em: EntityManager, networkId: string): Promise<void> {
    await selectRows(em, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, [HEALTH_LOCK_SPACE, networkId]);
  },

  /** Each member's latest snapshot, one index probe per member. */
  latestOf(em: EntityManager, memberIds: readonly string[]): Promise<LatestSnapshotRow[]> {
    return selectRows<LatestSnapshotRow>(
      em,
      `SELECT s.* FROM unnest($1::uuid[]) AS m(id)
         CROSS JOIN LATERAL (
           SELECT member_id, computed_at, score::text, credibility::text, reliability::text, intimacy::text,
                  self_orientation::text, at_risk
             FROM health_snapshots h WHERE h.member_id = m.id ORDER BY h.computed_at DESC, h.id DESC LIMIT 1
         ) s`,
      [memberIds],
    );
  },

  /** The score and reliability part of each member's latest snapshot in the network (members without one are left out). */
  latestStandingsOf(em: EntityManager, networkId: string, memberIds: readonly string[]): Promise<{ member_id: string; score: string; reliability: string }[]> {
    // Once per routing pass: prepared, so each connection plans it once.
    return selectRowsPrepared(
      em,
      `SELECT s.member_id, s.score::text AS score, s.reliability::text AS reliability
         FROM unnest($1::uuid[]) AS m(id)
         CROSS JOIN LATERAL (
           SELECT member_id, score, reliability FROM health_snapshots h
            WHERE h.member_id = m.id AND h.network_id = $2
            ORDER BY h.computed_at DESC LIMIT 1
         ) s`,
      [memberIds, networkId],
    );
  },

  /** The best snapshot score of each member between `since` and `until`. */
  bestScoresOf(em: EntityManager, memberIds: readonly string[], since: Date, until: Date): Promise<{ member_id: string; best: string }[]> {
    return selectRows(
      em,
      `SELECT member_id, max(score)::text AS best FROM health_snapshots
        WHERE member_id = ANY($1::uuid[]) AND computed_at >= $2 AND computed_at <= $3
        GROUP BY member_id`,
      [memberIds, since, until],
    );
  },

  /** One statement for the whole batch. */
  insertSnapshots(em: EntityManager, list: readonly NewSnapshot[]): Promise<number> {
    return execute(
      em,
      `INSERT INTO health_snapshots (member_id, network_id, computed_at, score, credibility, reliability, intimacy,
              self_orientation, trust, value_to_member_minor, value_to_hub_minor, currency, at_risk)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::numeric[], $5::numeric[], $6::numeric[],
              $7::numeric[], $8::numeric[], $9::numeric[], $10::bigint[], $11::bigint[], $12::char(3)[], $13::boolean[])`,
      [
        list.map((s) => s.memberId),
        list.map((s) => s.networkId),
        list.map((s) => s.computedAt),
        list.map((s) => s.score),
        list.map((s) => s.credibility),
        list.map((s) => s.reliability),
        list.map((s) => s.intimacy),
        list.map((s) => s.selfOrientation),
        list.map((s) => s.trust),
        list.map((s) => s.valueToMemberMinor.toString()),
        list.map((s) => s.valueToHubMinor.toString()),
        list.map((s) => s.currency),
        list.map((s) => s.atRisk),
      ],
    );
  },

  insertEvents(em: EntityManager, list: readonly NewHealthEvent[]): Promise<number> {
    return execute(
      em,
      `INSERT INTO health_events (member_id, network_id, at, at_risk, score, reason)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::boolean[], $5::numeric[], $6::text[])`,
      [
        list.map((e) => e.memberId),
        list.map((e) => e.networkId),
        list.map((e) => e.at),
        list.map((e) => e.atRisk),
        list.map((e) => e.score),
        list.map((e) => e.reason),
      ],
    );
  },
};
