import type { Job } from 'bullmq';
import { InPlaceJobName, JOB_QUEUE, JobName, JobPayloads, QUEUES, QueueName } from './job-types';

/** The jobs that run on queue Q, read from JOB_QUEUE. */
export type JobsOn<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never }[JobName];

/** Runs one job. Its data is typed by the job's name; what it resolves to is kept as the job's return value. */
export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<unknown>;

/** A job the relay may run in place (IN_PLACE_JOBS) has no BullMQ job to read there: its handler takes the payload alone. */
export type InPlaceJobHandler<N extends InPlaceJobName> = (data: JobPayloads[N]) => Promise<unknown>;

/** A handler for every job of queue Q: a job added to JOB_QUEUE without one fails the type check. */
export type JobHandlers<Q extends QueueName> = {
  readonly [N in JobsOn<Q>]: N extends InPlaceJobName ? InPlaceJobHandler<N> : JobHandler<N>;
};

/**
 * The handlers one domain brings to a queue it shares with other domains (the
 * maintenance sweeps). The worker spreads the parts into one JobHandlers<Q>,
 * so the type check still proves the queue is covered.
 */
export type SharedQueueHandlers<Q extends QueueName, N extends JobsOn<Q>> = Pick<JobHandlers<Q>, N>;

/** What a worker runs: the handler map of every queue. */
export type QueueHandlers = { readonly [Q in QueueName]: JobHandlers<Q> };

/** The jobs of one queue at run time, in JOB_QUEUE's order. */
export function jobsOn(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
}

/** Maps as they are at run time, where the type check cannot reach (a cast, a provider left out). */
type LooseQueueHandlers = { readonly [Q in QueueName]?: { readonly [name: string]: unknown } };

function handlerIn(handlers: { readonly [name: string]: unknown } | undefined, name: string): unknown {
  return handlers && Object.hasOwn(handlers, name) ? handlers[name] : undefined;
}

/** Every job of these queues that has no handler, as "queue/job". */
export function unhandledJobs(handlers: LooseQueueHandlers, queues: readonly QueueName[] = Object.values(QUEUES)): string[] {
  return queues.flatMap((queue) =>
    jobsOn(queue)
      .filter((name) => typeof handlerIn(handlers[queue], name) !== 'function')
      .map((name) => `${queue}/${name}`),
  );
}

/** The boot check beside the type one: a worker that would leave a job unhandled does not start. */
export function assertEveryJobHandled(handlers: LooseQueueHandlers, queues: readonly QueueName[] = Object.values(QUEUES)): void {
  const missing = unhandledJobs(handlers, queues);
  if (missing.length > 0) throw new Error(`no handler for ${missing.join(', ')}: every job of a consumed queue needs one`);
}

/**
 * Runs a job by its handler. A name the map does not know (a job left over from
 * an older release, or sent by a newer one) fails the job, and BullMQ retries it.
 * A coalesced job (COALESCED_JOBS) frees its deduplication key first: what is
 * committed from here on is relayed as a job of its own.
 */
export async function runJob<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>, job: Job): Promise<unknown> {
  const handler = handlerIn(handlers, job.name) as JobHandler<JobName> | undefined;
  if (!handler) throw new Error(`no handler for job ${job.name} on the ${queue} queue`);
  if (job.deduplicationId) await job.removeDeduplicationKey();
  return handler(job.data as JobPayloads[JobName], job);
}
