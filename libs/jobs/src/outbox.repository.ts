import { EntityManager } from 'typeorm';
import { selectRowsPrepared } from '@tandem/persistence';
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

/** One outbox row as written (payload and trace context are serialised to jsonb). */
export interface OutboxRowInput {
  queue: QueueName;
  name: string;
  payload: unknown;
  runAt: Date | null;
  traceContext: Record<string, string> | null;
}

/** A caller's change that its outbox rows are written with (OutboxRepository.insertWithChange). */
export interface StatementWithOutbox {
  ctes: string;
  params: readonly unknown[];
  /** The CTE whose rows say the change happened: no row, no outbox row either. */
  guard: string;
  select: string;
}

/** An outbox row that belongs to one row of a batched change (OutboxRepository.insertWithChanges). */
export interface OwnedOutboxRow extends OutboxRowInput {
  /** The `id` the guard CTE answers when that row's change happened. */
  owner: string;
}

/**
 * The insert of many rows from five arrays, its parameters numbered from
 * `first`; with `ownedBy`, a sixth array first, each row's owner, and a row is
 * written only when that CTE answered its owner's id.
 */
function manyRowsInsert(first: number, ownedBy?: string): string {
  const names = ownedBy ? ['o', 'q', 'n', 'p', 'r', 't'] : ['q', 'n', 'p', 'r', 't'];
  const types = ownedBy ? ['text', 'text', 'text', 'text', 'timestamptz', 'text'] : ['text', 'text', 'text', 'timestamptz', 'text'];
  const arrays = types.map((type, i) => `$${first + i}::${type}[]`).join(', ');
  return `INSERT INTO outbox (queue, name, payload, run_at, trace_context)
       SELECT q, n, p::jsonb, coalesce(r, now()), t::jsonb
         FROM unnest(${arrays}) AS u(${names.join(', ')})${ownedBy ? `\n        WHERE u.o IN (SELECT id::text FROM ${ownedBy})` : ''}`;
}

function manyRowsParams(rows: readonly OutboxRowInput[]): unknown[] {
  return [
    rows.map((r) => r.queue),
    rows.map((r) => r.name),
    rows.map((r) => JSON.stringify(r.payload)),
    rows.map((r) => r.runAt),
    rows.map((r) => (r.traceContext ? JSON.stringify(r.traceContext) : null)),
  ];
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
  async insertMany(em: EntityManager, rows: readonly OutboxRowInput[]): Promise<void> {
    if (rows.length === 0) return;
    await em.query(manyRowsInsert(1), manyRowsParams(rows));
  },

  /**
   * The caller's change and these rows in one statement: `change.ctes` are its
   * data-modifying CTEs (parameters $1 to $n of `change.params`), then the
   * outbox insert, which writes the rows only when the CTE named `change.guard`
   * returned one, then `change.select`. One statement is atomic on its own, so
   * outside a transaction it is one round trip where BEGIN, the change, the
   * outbox rows and COMMIT are four.
   */
  insertWithChange<T>(em: EntityManager, change: StatementWithOutbox, rows: readonly OutboxRowInput[]): Promise<T[]> {
    const first = change.params.length + 1;
    // The same few texts on every order (intake, the offer, fulfilment): prepared once per connection.
    return selectRowsPrepared<T>(
      em,
      `WITH ${change.ctes},
       queued AS (${manyRowsInsert(first)} WHERE EXISTS (SELECT 1 FROM ${change.guard}))
       ${change.select}`,
      [...change.params, ...manyRowsParams(rows)],
    );
  },

  /**
   * insertWithChange for a change of many rows at once (a batch of orders):
   * `change.guard` answers an `id` for each row whose change happened, and each
   * outbox row is written only when its `owner` is among them. Still one
   * statement, so one round trip and one commit for the whole batch.
   */
  insertWithChanges<T>(em: EntityManager, change: StatementWithOutbox, rows: readonly OwnedOutboxRow[]): Promise<T[]> {
    const first = change.params.length + 1;
    return selectRowsPrepared<T>(em, `WITH ${change.ctes},\n       queued AS (${manyRowsInsert(first, change.guard)})\n       ${change.select}`, [
      ...change.params,
      rows.map((r) => r.owner),
      ...manyRowsParams(rows),
    ]);
  },

  /**
   * Claims up to `limit` pending rows, oldest first, skipping those another
   * relay holds, and marks them relayed, in one statement of the caller's
   * transaction: the relay commits it once the queue store took the jobs, or
   * rolls it back, and the rows are pending again. The transaction also commits
   * without waiting for its WAL flush (synchronous_commit off, for it alone): a
   * mark a crash loses is a batch relayed again, which the job ids make
   * harmless. Answered in id order.
   */
  async claimForRelay(em: EntityManager, limit: number): Promise<PendingOutboxRow[]> {
    // Every relay batch: prepared, so each connection plans it once.
    const rows = await selectRowsPrepared<PendingOutboxRow>(
      em,
      `WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true)),
            claimed AS (SELECT id FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE outbox o SET relayed_at = now()
         FROM claimed CROSS JOIN unflushed
        WHERE o.id = claimed.id
       RETURNING o.id, o.queue, o.name, o.payload, o.job_key, o.run_at, o.trace_context`,
      [limit],
    );
    return rows.sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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
