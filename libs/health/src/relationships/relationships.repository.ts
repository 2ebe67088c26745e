import { EntityManager } from 'typeorm';
import { execute, selectRow, selectRows } from '@tandem/persistence';

/** One member's row of the relationships list, as the refresh writes it. */
export interface RelationshipRow {
  memberId: string;
  networkId: string;
  /** The roles and vetting status the health was computed with: the refresh recomputes a member whose own differ. */
  roles: readonly string[];
  vettingStatus: string | null;
  score: number;
  atRisk: boolean;
  /** The RelationshipHealth object as the API shows it, JSON. */
  health: string;
  computedAt: Date;
}

/** What a page of the list filters on; null is "any". */
export interface RelationshipFilter {
  networkId: string;
  role: string | null;
  atRisk: boolean | null;
  /** An ILIKE pattern of the member's name (network's memberSearch); absent or null is no search. */
  nameLike?: string | null;
}

export interface RelationshipPageRow {
  member_id: string;
  /** Exactly as stored (one decimal), for the cursor. */
  score_text: string;
  health: Record<string, unknown>;
}

/** The WHERE clause of a filtered list, from $1 on; at_risk is written literally so the partial index applies. */
function filterSql(f: RelationshipFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.networkId];
  let sql = 'network_id = $1';
  if (f.role !== null) {
    params.push(f.role);
    sql += ` AND $${params.length} = ANY(roles)`;
  }
  if (f.atRisk !== null) sql += f.atRisk ? ' AND at_risk' : ' AND NOT at_risk';
  if (f.nameLike != null) {
    // Through network's member_facts, a plain projection of members: its trigram index (members_name_trgm) serves the ILIKE.
    params.push(f.nameLike);
    sql += ` AND member_id IN (SELECT mf.id FROM member_facts mf WHERE mf.network_id = $1 AND mf.name ILIKE $${params.length} ESCAPE '\\')`;
  }
  return { sql, params };
}

/**
 * The SQL of health_relationships (one row per member, weakest first by
 * (network_id, score, member_id)) and its refresh mark, and the change probes the
 * refresh reads through the owners' views: routing's order_facts and
 * offer_facts, ledger's member_postings, network's member_facts.
 */
export const RelationshipsRepository = {
  /** One page in score order after the (score, member id) position, limit rows. */
  page(em: EntityManager, f: RelationshipFilter, after: { score: string; id: string } | null, limit: number): Promise<RelationshipPageRow[]> {
    const { sql, params } = filterSql(f);
    let where = sql;
    if (after) {
      params.push(after.score, after.id);
      where += ` AND (score, member_id) > ($${params.length - 1}::numeric, $${params.length}::uuid)`;
    }
    params.push(limit);
    return selectRows(
      em,
      // Ordered by the numeric column (r.score), not by the text it is read as.
      `SELECT r.member_id, r.score::text AS score_text, r.health FROM health_relationships r
        WHERE ${where} ORDER BY r.score, r.member_id LIMIT $${params.length}`,
      params,
    );
  },

  async count(em: EntityManager, f: RelationshipFilter): Promise<number> {
    const { sql, params } = filterSql(f);
    const row = await selectRow<{ n: string }>(em, `SELECT count(*)::text AS n FROM health_relationships WHERE ${sql}`, params);
    return Number(row?.n ?? 0);
  },

  /** Whether the filtered list has a row at or before the position: what `after` pointed past. */
  async anyAtOrBefore(em: EntityManager, f: RelationshipFilter, at: { score: string; id: string }): Promise<boolean> {
    const { sql, params } = filterSql(f);
    params.push(at.score, at.id);
    const row = await selectRow<{ any: boolean }>(
      em,
      `SELECT EXISTS (SELECT 1 FROM health_relationships
                       WHERE ${sql} AND (score, member_id) <= ($${params.length - 1}::numeric, $${params.length}::uuid)) AS any`,
      params,
    );
    return row?.any ?? false;
  },

  /** Writes the rows in one statement; a row computed earlier than the one stored is left out (concurrent refreshes). */
  upsert(em: EntityManager, rows: readonly RelationshipRow[]): Promise<number> {
    return execute(
      em,
      `INSERT INTO health_relationships AS r (member_id, network_id, roles, vetting_status, score, at_risk, health, computed_at, refreshed_at)
       SELECT x.member_id, x.network_id, string_to_array(x.roles, ','), x.vetting_status, x.score, x.at_risk, x.health::jsonb,
              x.computed_at, clock_timestamp()
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::numeric[], $6::boolean[], $7::text[], $8::timestamptz[])
              AS x(member_id, network_id, roles, vetting_status, score, at_risk, health, computed_at)
       ON CONFLICT (member_id) DO UPDATE
          SET roles = EXCLUDED.roles, vetting_status = EXCLUDED.vetting_status, score = EXCLUDED.score,
              at_risk = EXCLUDED.at_risk, health = EXCLUDED.health, computed_at = EXCLUDED.computed_at,
              refreshed_at = EXCLUDED.refreshed_at
        WHERE r.computed_at <= EXCLUDED.computed_at`,
      [
        rows.map((r) => r.memberId),
        rows.map((r) => r.networkId),
        rows.map((r) => r.roles.join(',')),
        rows.map((r) => r.vettingStatus),
        rows.map((r) => r.score),
        rows.map((r) => r.atRisk),
        rows.map((r) => r.health),
        rows.map((r) => r.computedAt),
      ],
    );
  },

  /** How far the refresh has read order and posting changes; null before its first run. */
  async mark(em: EntityManager): Promise<Date | null> {
    const row = await selectRow<{ changes_through: Date }>(em, `SELECT changes_through FROM health_relationships_mark`);
    return row?.changes_through ?? null;
  },

  /** Moves the mark forward only: a slower concurrent refresh never takes it back. */
  async saveMark(em: EntityManager, through: Date): Promise<void> {
    await execute(
      em,
      `INSERT INTO health_relationships_mark (singleton, changes_through) VALUES (true, $1)
       ON CONFLICT (singleton) DO UPDATE SET changes_through = GREATEST(health_relationships_mark.changes_through, EXCLUDED.changes_through)`,
      [through],
    );
  },

  /**
   * The members whose health may have moved: the parties of orders changed
   * since `since` (client, supplier, and every supplier that held an offer on
   * them: a decline or an expiry moves the order on), the members with
   * postings since then, those rated and those who rated since then (a dispute
   * changes its order, so it is among the orders), and (whatever `since`) every member without a row
   * or whose roles or vetting status differ from those its row was computed
   * with. `since` null reads no changes: a first run recomputes everyone anyway.
   */
  changedMembers(em: EntityManager, since: Date | null): Promise<{ network_id: string; member_id: string }[]> {
    const drift = `
      SELECT m.network_id, m.id AS member_id
        FROM member_facts m LEFT JOIN health_relationships r ON r.member_id = m.id
       WHERE r.member_id IS NULL OR r.roles <> m.roles
          OR r.vetting_status IS DISTINCT FROM (CASE WHEN 'SUPPLIER' = ANY(m.roles) THEN coalesce(m.vetting_status, 'APPLIED') END)`;
    if (since === null) return selectRows(em, drift);
    return selectRows(
      em,
      `SELECT network_id, member_id FROM (
         SELECT network_id, client_id AS member_id FROM order_facts WHERE updated_at > $1
         UNION
         SELECT network_id, supplier_id FROM order_facts WHERE updated_at > $1 AND supplier_id IS NOT NULL
         UNION
         SELECT f.network_id, f.supplier_id FROM order_facts o JOIN offer_facts f ON f.order_id = o.id WHERE o.updated_at > $1
         UNION
         SELECT network_id, member_id FROM member_postings WHERE created_at > $1
         UNION
         SELECT network_id, subject_member_id FROM feedback_facts WHERE created_at > $1 AND subject_member_id IS NOT NULL
         UNION
         SELECT network_id, author_id FROM feedback_facts WHERE created_at > $1
         UNION
         ${drift}
       ) changed`,
      [since],
    );
  },
};
