import { EntityManager } from 'typeorm';
import { QueueName } from './job-types';

/** A committed outbox row the relay has not moved to its queue yet. */
export interface PendingOutboxRow {
  id: string;
  queue: QueueName;
  name: string;
  payload: Record<string, unknown>;
  /** The job's id in the queue store is outbox-<job_key> (migration 1797800000000). */
  job_key: string;
  run_at: Date;
  trace_context: Record<string, string> | null;
}

/** What waits in the outbox: rows not yet relayed, and the age of the oldest in seconds (0 when none). */
export interface OutboxBacklog {
  rows: number;
  oldestAgeSeconds: number;
}

/** The outbox's SQL (the table is jobs'; libs/jobs/src/owned-tables.ts). */
export const OutboxRepository = {
  /** One row, in the caller's transaction (OutboxDoorbell tells a relay after the commit). */
  async insert(
    em: EntityManager,
    row: { queue: QueueName; name: string; payload: unknown; runAt: Date | null; traceContext: Record<string, string> | null },
  ): Promise<void> {
    await em.query(`INSERT INTO outbox (queue, name, payload, run_at, trace_context) VALUES ($1, $2, $3, coalesce($4, now()), $5)`, [
      row.queue,
      row.name,
      JSON.stringify(row.payload),
      row.runAt,
      row.traceContext ? JSON.stringify(row.traceContext) : null,
    ]);
  },

  /** Several rows in one statement (a fan-out's jobs), in the caller's transaction. */
  async insertMany(
    em: EntityManager,
    rows: readonly { queue: QueueName; name: string; payload: unknown; runAt: Date | null; traceContext: Record<string, string> | null }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await em.query(
      `INSERT INTO outbox (queue, name, payload, run_at, trace_context)
       SELECT q, n, p::jsonb, coalesce(r, now()), t::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS u(q, n, p, r, t)`,
      [
        rows.map((r) => r.queue),
        rows.map((r) => r.name),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map((r) => r.runAt),
        rows.map((r) => (r.traceContext ? JSON.stringify(r.traceContext) : null)),
      ],
    );
  },

  /** Claims up to `limit` pending rows, oldest first, skipping those another relay holds. */
  claimPending(em: EntityManager, limit: number): Promise<PendingOutboxRow[]> {
    return em.query(
      `SELECT id, queue, name, payload, job_key, run_at, trace_context FROM outbox
        WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  },

  /** This transaction commits without waiting for its WAL flush (synchronous_commit off, for it alone). */
  async commitWithoutFlush(em: EntityManager): Promise<void> {
    await em.query(`SELECT set_config('synchronous_commit', 'off', true)`);
  },

  async markRelayed(em: EntityManager, ids: readonly string[]): Promise<void> {
    await em.query(`UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  },

  /** Both through the partial index outbox_pending; the oldest row is the lowest id. */
  async backlog(em: EntityManager): Promise<OutboxBacklog> {
    const [row] = (await em.query(
      `SELECT (SELECT count(*)::int FROM outbox WHERE relayed_at IS NULL) AS rows,
              coalesce(extract(epoch FROM now() - (SELECT created_at FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT 1)), 0)::float8 AS oldest`,
    )) as { rows: number; oldest: number }[];
    return { rows: row.rows, oldestAgeSeconds: Math.max(0, row.oldest) };
  },
};
