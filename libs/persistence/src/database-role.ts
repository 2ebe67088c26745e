/**
 * Who opens a pool decides how long its sessions may wait. Every wait is
 * bounded (docs/architecture.md, "Data access"): a statement, a lock,
 * a session left idle inside a transaction (a paused or vanished process still
 * holding row locks) and a free connection from the pool. The table is in
 * libs/persistence/README.md and docs/security/waits.md.
 */
export type DatabaseRole = 'api' | 'jobs' | 'migrations';

export interface DatabaseRoleSettings {
  /** Connections in the pool; a worker's job concurrency is derived from it (apps/worker/src/processors/concurrency.ts). */
  poolSize: number;
  /** statement_timeout: one statement, server side. 0 = none. */
  statementMs: number;
  /** lock_timeout: waiting for one lock (row, table, advisory). */
  lockMs: number;
  /**
   * idle_in_transaction_session_timeout: the server ends a session whose
   * transaction waits this long for its client, releasing its locks.
   */
  idleInTransactionMs: number;
  /** pg-pool: connecting, and waiting for a free connection when the pool is full. */
  connectMs: number;
}

export const DATABASE_ROLES: { readonly [R in DatabaseRole]: DatabaseRoleSettings } = {
  // A request answers in milliseconds; the slowest (a settlement run of a large network) in a few seconds.
  api: { poolSize: 10, statementMs: 15_000, lockMs: 5_000, idleInTransactionMs: 5_000, connectMs: 5_000 },
  // A job's transaction talks only to PostgreSQL (and the relay's to Redis, in ms, and waits at most 0.5 s for
  // its in-place runs: libs/jobs' IN_PLACE_WAIT_MS): idle for 2 s means the process is stuck, and every other
  // worker is waiting on its locks. A timed-out job retries with backoff.
  jobs: { poolSize: 40, statementMs: 60_000, lockMs: 3_000, idleInTransactionMs: 2_000, connectMs: 10_000 },
  // Rewriting a large table may take minutes, but must not queue behind (and block) live traffic forever.
  migrations: { poolSize: 1, statementMs: 0, lockMs: 30_000, idleInTransactionMs: 60_000, connectMs: 30_000 },
};

/** The role of a pool named without one: by its application name ('tandem-migrate', 'tandem-cli', 'tandem-worker'). */
export function roleOf(applicationName: string | undefined): DatabaseRole {
  if (applicationName === 'tandem-migrate' || applicationName === 'tandem-cli') return 'migrations';
  if (applicationName === 'tandem-worker') return 'jobs';
  return 'api';
}

/**
 * PostgreSQL errors that a later attempt can get past: a timeout set above, a
 * lock conflict, a serialization failure or deadlock, a session the server ended,
 * a lost or refused connection. A job failing with one must be retried with
 * backoff, never parked as a failure that will not heal.
 */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout, NOWAIT)
  '57014', // query_canceled (statement_timeout)
  '25P03', // idle_in_transaction_session_timeout
  '57P01', // admin_shutdown (pg_terminate_backend, server restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

export function isTransientDatabaseError(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string }; message?: string } | undefined;
  const code = err?.driverError?.code ?? err?.code;
  if (code && (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08'))) return true; // 08: connection exceptions
  // pg and pg-pool raise these without a SQLSTATE.
  return /Connection terminated|timeout exceeded when trying to connect|ECONNRESET|ECONNREFUSED|Client has encountered a connection error/i.test(
    err?.message ?? '',
  );
}
