import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JOB_QUEUE, JobName, JobOptions, JobPayloads } from './job-types';
import { OutboxDoorbell } from './outbox-doorbell';
import { OutboxBacklog, OutboxRepository, OutboxRowInput, OwnedOutboxRow, StatementWithOutbox } from './outbox.repository';
import { currentTraceCarrier } from './trace-context';

/** One job of any name, for enqueueAll. */
export type OutboxJob = { [N in JobName]: { name: N; payload: JobPayloads[N]; options?: JobOptions } }[JobName];

/** One job as its outbox row, carrying the trace context it continues (null while tracing is off). */
function outboxRow<N extends JobName>(
  name: N,
  payload: JobPayloads[N],
  options: JobOptions | undefined,
  traceContext: OutboxRowInput['traceContext'],
): OutboxRowInput {
  return { queue: JOB_QUEUE[name], name, payload, runAt: options?.runAt ?? null, traceContext };
}

/** Jobs as outbox rows, each carrying the trace context of the request, as enqueue writes it. */
function outboxRows(jobs: readonly OutboxJob[]): OutboxRowInput[] {
  const traceContext = currentTraceCarrier();
  return jobs.map((job) => outboxRow(job.name, job.payload, job.options, traceContext));
}

/**
 * The producer: jobs are written to the outbox inside the caller's transaction,
 * so they exist exactly when the change they follow was committed.
 */
@Injectable()
export class OutboxService implements OnApplicationShutdown {
  private readonly doorbell: OutboxDoorbell;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.doorbell = OutboxDoorbell.of(dataSource);
  }

  async enqueue<N extends JobName>(em: EntityManager, name: N, payload: JobPayloads[N], options: JobOptions = {}): Promise<void> {
    await OutboxRepository.insert(em, outboxRow(name, payload, options, currentTraceCarrier()));
    this.doorbell.afterCommit(em);
  }

  /** Jobs of one name in one statement (a fan-out's), inside the caller's transaction. */
  async enqueueMany<N extends JobName>(em: EntityManager, name: N, payloads: readonly JobPayloads[N][], options: JobOptions = {}): Promise<void> {
    const traceContext = currentTraceCarrier();
    await OutboxRepository.insertMany(
      em,
      payloads.map((payload) => outboxRow(name, payload, options, traceContext)),
    );
    if (payloads.length > 0) this.doorbell.afterCommit(em);
  }

  /**
   * Jobs of any names in one statement, with one ring of the doorbell, inside the
   * caller's transaction: one round trip where enqueue per job takes one each
   * (placeOrder's published event and its route-order job). Every row carries
   * the trace context of the request, as enqueue writes it.
   */
  async enqueueAll(em: EntityManager, jobs: readonly OutboxJob[]): Promise<void> {
    if (jobs.length === 1) return this.enqueue(em, jobs[0].name, jobs[0].payload, jobs[0].options);
    await OutboxRepository.insertMany(em, outboxRows(jobs));
    if (jobs.length > 0) this.doorbell.afterCommit(em);
  }

  /**
   * A change and its jobs in one statement (OutboxRepository.insertWithChange):
   * run outside a transaction it commits on its own, in one round trip
   * (placeOrder's order, its history event, its published event and its
   * route-order job). The jobs are written only when `change.guard` returned a
   * row, and the doorbell rings only then; the rows of `change.select` are
   * answered.
   */
  async enqueueWithChange<T>(em: EntityManager, change: StatementWithOutbox, jobs: readonly OutboxJob[]): Promise<T[]> {
    const rows = await OutboxRepository.insertWithChange<T>(em, change, outboxRows(jobs));
    if (rows.length > 0 && jobs.length > 0) this.doorbell.afterCommit(em);
    return rows;
  }

  /**
   * Jobs that belong to one row of a batched change, as rows for
   * enqueueWithChanges. Made in the caller's own context, so each carries the
   * trace of the request it follows even when another request's turn runs the
   * batch.
   */
  ownedJobs(owner: string, jobs: readonly OutboxJob[]): OwnedOutboxRow[] {
    return outboxRows(jobs).map((row) => ({ ...row, owner }));
  }

  /**
   * enqueueWithChange for a batch (OutboxRepository.insertWithChanges): each
   * row's jobs are written only when its own change happened; one ring when any
   * was.
   */
  async enqueueWithChanges<T>(em: EntityManager, change: StatementWithOutbox, rows: readonly OwnedOutboxRow[]): Promise<T[]> {
    const changed = await OutboxRepository.insertWithChanges<T>(em, change, rows);
    if (changed.length > 0 && rows.length > 0) this.doorbell.afterCommit(em);
    return changed;
  }

  /** The doorbell's own connection closes with the app. */
  onApplicationShutdown(): Promise<void> {
    return this.doorbell.close();
  }

  /** Rows not yet relayed and the age of the oldest, for the worker's /metrics. */
  backlog(): Promise<OutboxBacklog> {
    return OutboxRepository.backlog(this.dataSource.manager);
  }
}
