import { DATABASE_ROLES } from '@tandem/persistence';
import { ROUTING_CONNECTIONS } from '@tandem/routing';
import { MAX_FULFILMENT_BATCH } from '@tandem/settlement';
import { MAX_IN_FLIGHT_PER_ENDPOINT, WEBHOOK_CONNECTIONS } from '@tandem/webhooks';

/**
 * How many jobs each processor runs at once, so that every running job can
 * hold the connections it needs without waiting for the pool: a job waiting
 * for a connection holds nothing, but the jobs ahead of it may be waiting on a
 * lock, and a full pool starves every queue of this worker (routing behind
 * postings). The worker's pool is libs/persistence's 'jobs' role.
 */
export const WORKER_POOL_SIZE = DATABASE_ROLES.jobs.poolSize;

/**
 * Connections one job of each queue may hold at once (a health computation
 * runs its reads side by side); for the routing, ledger and webhooks queues,
 * one per connection of their gate, whatever the number of jobs.
 */
const CONNECTIONS_PER_JOB = { routing: 1, maintenance: 1, health: 11, webhooks: 1, ledger: 1 } as const;

/** The outbox relay's batch transaction (its LISTEN connection is a client of its own). */
const OUTSIDE_JOBS = 1;

/**
 * Routing passes, expiries and the route-order read hold connections only
 * through routing's RoutingConnectionGate (ROUTING_CONNECTIONS): four times as
 * many jobs as connections, so the jobs waiting there share one "is it still
 * ROUTING" read per batch (stale and repeated jobs cost a quarter of a round
 * trip each) while at most ROUTING_CONNECTIONS passes run at once, as before.
 */
const ROUTING = 4 * ROUTING_CONNECTIONS;
const MAINTENANCE = 1;
const HEALTH = 1;
/**
 * Fan-out and deliveries. A delivery holds a connection only to read its row
 * and to record its attempt, through webhooks' WebhookConnectionGate
 * (WEBHOOK_CONNECTIONS), never while it waits on a receiver: the queue runs
 * many more jobs than it holds connections, so deliveries to receivers that
 * answer slowly overlap. Four times the per-endpoint bound, so a slow or dead
 * receiver holds at most a quarter of the slots (three of them, three quarters).
 */
const WEBHOOKS = 4 * MAX_IN_FLIGHT_PER_ENDPOINT;

/**
 * Postings take the rest of the pool, as connections of the ledger's gate
 * (libs/settlement's LedgerConnectionGate): a ledger job waits there holding no
 * connection, so the queue runs as many jobs as a fulfilment batch holds, and
 * concurrent fulfilments gather into one transaction however small the pool.
 */
export const LEDGER_CONNECTIONS = Math.floor(
  (WORKER_POOL_SIZE -
    OUTSIDE_JOBS -
    ROUTING_CONNECTIONS * CONNECTIONS_PER_JOB.routing -
    MAINTENANCE * CONNECTIONS_PER_JOB.maintenance -
    HEALTH * CONNECTIONS_PER_JOB.health -
    WEBHOOK_CONNECTIONS * CONNECTIONS_PER_JOB.webhooks) /
    CONNECTIONS_PER_JOB.ledger,
);

export const JOB_CONCURRENCY = { routing: ROUTING, maintenance: MAINTENANCE, health: HEALTH, webhooks: WEBHOOKS, ledger: MAX_FULFILMENT_BATCH } as const;

/** Connections the worker's jobs and relay may hold at once; never above the pool (concurrency.spec.ts). */
export function connectionsAtMost(): number {
  const held = { ...JOB_CONCURRENCY, routing: ROUTING_CONNECTIONS, ledger: LEDGER_CONNECTIONS, webhooks: WEBHOOK_CONNECTIONS };
  return OUTSIDE_JOBS + (Object.keys(CONNECTIONS_PER_JOB) as (keyof typeof CONNECTIONS_PER_JOB)[]).reduce((n, q) => n + held[q] * CONNECTIONS_PER_JOB[q], 0);
}

/**
 * Seconds an idle worker blocks waiting for a job before it looks again. A paused
 * worker blocked in that wait still takes the wake-up of the next job, which
 * then sits until the others look again: 1 s instead of BullMQ's 5.
 */
export const DRAIN_DELAY_SECONDS = 1;
