import { DAY_SECONDS } from '@tandem/common';
import { EVENT_JOB_QUEUE, EventJobPayloads } from './job-areas/event-jobs';
import { GROWTH_JOB_QUEUE, GrowthJobPayloads } from './job-areas/growth-jobs';
import { RELATIONSHIP_JOB_QUEUE, RelationshipJobPayloads } from './job-areas/relationship-jobs';
import { WEBHOOK_JOB_QUEUE, WebhookJobPayloads } from './job-areas/webhook-jobs';
import { QUEUES, QueueName } from './queues';

export { QUEUES, QueueName } from './queues';

/**
 * Every job and its payload: ids only, never objects, so a retry reads fresh
 * state. The core jobs are here; each feature area adds its own in
 * job-areas/*-jobs.ts.
 */
export interface JobPayloads extends EventJobPayloads, WebhookJobPayloads, GrowthJobPayloads, RelationshipJobPayloads {
  /** Find the next supplier for an order in ROUTING. */
  'route-order': { orderId: string };
  /** An offer's time ran out (runs at its expiry). */
  'expire-offer': { orderId: string; offerId: string };
  /** Write the excluded rows of Order.routing after an offer (routing's explainer: every due order at once). */
  'explain-routing': { orderId: string };
  /** Post a fulfilled order's frozen fee breakdown to the ledger. */
  'post-fulfilment': { orderId: string };
  /** Post the exact reverse of an order's postings. */
  'post-refund': { orderId: string };
  /** A scheduled settlement run of one network. */
  'run-settlement': { networkId: string };
  /** Periodic sweep: orders left in ROUTING or past their offer's expiry by a lost message or crash. */
  'reconcile-routing': Record<string, never>;
  /** Periodic sweep: fulfilled or refunded orders whose ledger entry is missing. */
  'reconcile-ledger': Record<string, never>;
  /** Recompute and snapshot relationship health: one network, or every network when absent. */
  'snapshot-health': { networkId?: string };
}
export type JobName = keyof JobPayloads;

/** The queue of every job (each job exactly once); its literal types tell JobHandlers which jobs a queue must handle. */
export const JOB_QUEUE = {
  ...EVENT_JOB_QUEUE,
  ...WEBHOOK_JOB_QUEUE,
  ...GROWTH_JOB_QUEUE,
  ...RELATIONSHIP_JOB_QUEUE,
  'route-order': QUEUES.routing,
  'expire-offer': QUEUES.routing,
  'explain-routing': QUEUES.maintenance,
  'post-fulfilment': QUEUES.ledger,
  'post-refund': QUEUES.ledger,
  'run-settlement': QUEUES.ledger,
  'reconcile-routing': QUEUES.maintenance,
  'reconcile-ledger': QUEUES.maintenance,
  'snapshot-health': QUEUES.health,
} as const satisfies { readonly [N in JobName]: QueueName };

/**
 * Jobs that coalesce, for handlers whose one run takes every row that is due
 * (routing's explainer), not the row that queued the job: while one such job
 * waits, the relay adds no other of its name (BullMQ's deduplication, keyed by
 * the name), and each run frees the key as it starts (runJob), so a row
 * committed after that start gets a job of its own and is never left to the
 * sweep.
 */
export const COALESCED_JOBS: ReadonlySet<string> = new Set<JobName>(['explain-routing']);

/**
 * Jobs the worker's relay runs itself as it takes their rows from the outbox
 * (OutboxRelayService.runInPlace), instead of handing each to its queue: short,
 * idempotent work on the worker's own connections, for which a queue's per-job
 * round trips cost more than the work. A domain event's fan-out is one, and
 * every order makes two (placed, offered). One that fails, or still runs after
 * the relay's wait (IN_PLACE_WAIT_MS), goes to its queue as a job after all,
 * with the same id, a little later, and is retried there with its backoff.
 */
export const IN_PLACE_JOBS = ['publish-event'] as const satisfies readonly JobName[];
export type InPlaceJobName = (typeof IN_PLACE_JOBS)[number];

export function isInPlaceJob(name: string): name is InPlaceJobName {
  return (IN_PLACE_JOBS as readonly string[]).includes(name);
}

export interface JobOptions {
  /** Not before this instant (a delayed job). */
  runAt?: Date;
}

/** BullMQ defaults for every job: retried with backoff, kept briefly for dedupe and inspection. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 200 },
  removeOnComplete: { age: DAY_SECONDS, count: 50_000 },
  removeOnFail: { age: 7 * DAY_SECONDS },
} as const;
