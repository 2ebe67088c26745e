import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { COALESCED_JOBS, DEFAULT_JOB_OPTIONS, InPlaceJobName, QueueName, isInPlaceJob } from './job-types';
import { OUTBOX_CHANNEL, OutboxDoorbell } from './outbox-doorbell';
import { PendingOutboxRow, OutboxRepository } from './outbox.repository';
import { QueueRegistry } from './queue-registry';
import { TraceCarrier, traceJobOptions } from './trace-context';

/** Rows one relay transaction claims and adds at most (the bench adds its bare jobs in batches of this size too). */
export const OUTBOX_RELAY_BATCH = 500;

/** The BullMQ job id of an outbox row's job. */
export const outboxJobId = (jobKey: string): string => `outbox-${jobKey}`;

/**
 * In-place jobs one batch runs at most; the rest of the batch's go to their
 * queue as usual. The batch's transaction stays open while they run, and the
 * relay takes its next batch only after it: the bound keeps that wait short
 * when a burst of events each has endpoints to write deliveries for.
 */
export const IN_PLACE_PER_BATCH = 32;

/** A job the relay runs in place (IN_PLACE_JOBS): its row's job id, its payload, and the trace context it continues. */
export interface InPlaceJob {
  id: string;
  name: InPlaceJobName;
  data: unknown;
  traceContext: TraceCarrier | null;
}

/** Runs one in-place job to its end; a rejection sends the job to its queue to be retried there. */
export type InPlaceRunner = (job: InPlaceJob) => Promise<unknown>;
/** Backoff between attempts to open the LISTEN connection again. */
const LISTEN_RETRY_MIN_MS = 100;
const LISTEN_RETRY_MAX_MS = 5_000;

/**
 * Moves committed outbox rows to BullMQ. The row's job key is the BullMQ job id,
 * so a crash between enqueue and marking the row relayed re-sends a duplicate
 * that BullMQ drops. Several relays may run: rows are claimed with SKIP LOCKED.
 */
/** How long stop() waits for a batch that is still adding jobs. */
const STOP_WAIT_MS = 10_000;

@Injectable()
export class OutboxRelayService implements OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = true;
  private inFlight?: Promise<number>;
  private listener?: Client;
  private relisten?: NodeJS.Timeout;
  private listenerSessions = 0;
  /** A notification arrived while a batch was running: run again right after. */
  private wakeAgain = false;
  /** Runs the in-place jobs this process has handlers for (the worker's); without one every job goes to its queue. */
  private inPlace?: InPlaceRunner;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
  ) {}

  /**
   * From now on the jobs of IN_PLACE_JOBS are run by `runner` as their rows are
   * taken, inside the batch's transaction: the rows are marked relayed only
   * once their runs ended, so a crash meanwhile runs them again (they are
   * idempotent). A run that fails goes to its queue as a job after all.
   * Undefined hands every job to its queue again.
   */
  runInPlace(runner: InPlaceRunner | undefined): void {
    this.inPlace = runner;
  }

  /**
   * Relays on every commit that wrote to the outbox: rung by this process's
   * OutboxDoorbell directly, by other processes' through LISTEN/NOTIFY; and
   * polls every `pollMs` as the safety net for a ring that never came.
   */
  start(pollMs = 250): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      if (this.timer) clearTimeout(this.timer);
      await this.drain();
      if (!this.stopped) this.timer = setTimeout(tick, pollMs);
    };
    const wake = () => {
      if (this.running) this.wakeAgain = true;
      else void tick();
    };
    OutboxDoorbell.of(this.dataSource).answerLocally(wake);
    void this.listen(wake);
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    OutboxDoorbell.of(this.dataSource).answerLocally(undefined);
    if (this.timer) clearTimeout(this.timer);
    if (this.relisten) clearTimeout(this.relisten);
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    // A batch still adding to the queue store is given a bounded time: rows it did
    // not mark relayed are sent again by the next relay, and the job id drops repeats.
    const inFlight = this.inFlight?.catch(() => 0);
    if (inFlight) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = await Promise.race([
        inFlight.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_WAIT_MS))),
      ]);
      clearTimeout(timer);
      if (gaveUp) this.log.warn(`outbox relay stopped with a batch still in flight after ${STOP_WAIT_MS} ms; its rows will be relayed again`);
    }
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.wakeAgain = false;
        while (!this.stopped && (await this.relayOnce()) === OUTBOX_RELAY_BATCH);
      } while (this.wakeAgain && !this.stopped);
    } catch (e) {
      this.log.error(`outbox relay failed: ${(e as Error).message}`);
    }
  }

  /**
   * Holds a LISTEN connection for as long as the relay runs. A lost connection
   * (a restarted server, a severed network, pg_terminate_backend) is opened
   * again after a short backoff, and the relay drains at once, since any
   * notification sent meanwhile is gone; until then the poll carries on.
   */
  private async listen(onNotify: () => void, retryMs = LISTEN_RETRY_MIN_MS): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    if (!url || this.stopped) return;
    const client = new Client({ connectionString: url, application_name: 'tandem-outbox-listener', keepAlive: true });
    let lost = false;
    let established = false;
    const reconnect = (why: string) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.log.warn(`outbox listener lost its connection (${why}); polling until it is back`);
      const wait = established ? LISTEN_RETRY_MIN_MS : retryMs;
      this.relisten = setTimeout(() => void this.listen(onNotify, Math.min(wait * 2, LISTEN_RETRY_MAX_MS)), wait);
    };
    client.on('error', (e) => reconnect(e.message));
    client.on('end', () => reconnect('connection ended'));
    client.on('notification', () => onNotify());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (e) {
      reconnect((e as Error).message);
      return;
    }
    if (this.stopped || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    established = true;
    this.listenerSessions++;
    // Rows committed while no one listened sent notifications that reached no one.
    if (this.listenerSessions > 1) onNotify();
  }

  /** How many times the LISTEN connection has been (re)established; for tests and logs. */
  get listenerConnections(): number {
    return this.listenerSessions;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Relays one batch; returns how many rows it moved. */
  relayOnce(): Promise<number> {
    if (this.running) return Promise.resolve(0);
    this.running = true;
    this.inFlight = this.dataSource
      .transaction(async (em) => {
        // Claimed and marked at once; the mark commits only once the queue store took the jobs (a throw rolls it back).
        const rows = await OutboxRepository.claimForRelay(em, OUTBOX_RELAY_BATCH);
        if (rows.length > 0) await this.hand(rows);
        return rows.length;
      })
      .finally(() => {
        this.running = false;
      });
    return this.inFlight;
  }

  /**
   * The batch's jobs to their queues, but for up to IN_PLACE_PER_BATCH in-place
   * jobs, which run here once the rest were handed over (so a route-order job
   * never waits for a fan-out); those that fail go to their queues last.
   */
  private async hand(rows: PendingOutboxRow[]): Promise<void> {
    const runner = this.inPlace;
    const here = runner ? rows.filter((r) => isInPlaceJob(r.name)).slice(0, IN_PLACE_PER_BATCH) : [];
    if (!runner || here.length === 0) return this.send(rows);
    const runsHere = new Set(here);
    await this.send(rows.filter((r) => !runsHere.has(r)));
    const outcomes = await Promise.allSettled(
      here.map((r) => runner({ id: outboxJobId(r.job_key), name: r.name as InPlaceJobName, data: r.payload, traceContext: r.trace_context })),
    );
    const failed = here.filter((_, i) => outcomes[i].status === 'rejected');
    if (failed.length === 0) return;
    const first = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason as Error | undefined;
    this.log.warn(`${failed.length} of ${here.length} jobs run in place failed (first: ${first?.message}); they go to their queues to be retried`);
    await this.send(failed);
  }

  private async send(rows: PendingOutboxRow[]): Promise<void> {
    const byQueue = new Map<QueueName, PendingOutboxRow[]>();
    for (const r of rows) {
      const list = byQueue.get(r.queue);
      if (list) list.push(r);
      else byQueue.set(r.queue, [r]);
    }
    const now = Date.now();
    for (const [name, list] of byQueue) {
      const queue: Queue = this.queues.get(name);
      await queue.addBulk(
        list.map((r) => ({
          name: r.name,
          data: r.payload,
          opts: {
            ...DEFAULT_JOB_OPTIONS,
            jobId: outboxJobId(r.job_key),
            delay: Math.max(0, new Date(r.run_at).getTime() - now),
            ...(COALESCED_JOBS.has(r.name) ? { deduplication: { id: r.name } } : {}),
            ...traceJobOptions(r.trace_context),
          },
        })),
      );
    }
  }
}
