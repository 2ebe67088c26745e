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
 * queue as usual.
 */
export const IN_PLACE_PER_BATCH = 32;

/**
 * How long a batch waits for its in-place runs. The batch's transaction idles
 * meanwhile, and the worker's pool ends a transaction idle for 2 s
 * (libs/persistence's database-role.ts), so the wait stays well under that; it
 * also bounds how long the relay's next batch (the next route-order jobs)
 * waits behind a burst of fan-outs. A run still going then is handed to its
 * queue like a failed one and the batch commits; the job finds the deliveries
 * that run made (none is made twice) and announces the event again, which the
 * API processes' subscriptions hear once (libs/webhooks's EventStream).
 */
export const IN_PLACE_WAIT_MS = 500;

/** A job whose in-place run failed or outlasted IN_PLACE_WAIT_MS runs on its queue this much later (then with its backoff). */
export const IN_PLACE_RETRY_DELAY_MS = 2_000;

/** A job the relay runs in place (IN_PLACE_JOBS): its row's job id, its payload, and the trace context it continues. */
export interface InPlaceJob {
  id: string;
  name: InPlaceJobName;
  data: unknown;
  traceContext: TraceCarrier | null;
}

/**
 * Runs one in-place job to its end; a rejection sends the job to its queue to
 * be retried there. The runner reports its own failures (the relay logs only
 * the runs it stopped waiting for).
 */
export type InPlaceRunner = (job: InPlaceJob) => Promise<unknown>;
/** Backoff between attempts to open the LISTEN connection again. */
const LISTEN_RETRY_MIN_MS = 100;
const LISTEN_RETRY_MAX_MS = 5_000;

/**
 * Moves committed outbox rows to BullMQ. The row's job key is the BullMQ job id,
 * so a crash between enqueue and marking the row relayed re-sends a duplicate
 * that BullMQ drops. Several relays may run: rows are claimed with SKIP LOCKED.
 */
/** How long stop() waits for a batch that is still adding jobs or waiting for its in-place runs. */
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
  private inPlaceWaitMs = IN_PLACE_WAIT_MS;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
  ) {}

  /**
   * From now on the jobs of IN_PLACE_JOBS that are due are run by `runner` as
   * their rows are taken, inside the batch's transaction: the rows are marked
   * relayed only once their runs ended or were handed to their queue (a failed
   * run, or one still going after `waitMs`), so a crash, or a transaction
   * PostgreSQL ended, runs them again (they are idempotent). Undefined hands
   * every job to its queue again.
   */
  runInPlace(runner: InPlaceRunner | undefined, waitMs = IN_PLACE_WAIT_MS): void {
    this.inPlace = runner;
    this.inPlaceWaitMs = waitMs;
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
        // Claimed and marked at once; the mark commits only once the queue store took the jobs and the in-place runs
        // ended or were handed over (a throw rolls it back).
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
   * The batch's jobs to their queues, but for up to IN_PLACE_PER_BATCH due
   * in-place jobs, which run here once the rest were handed over (the batch's
   * route-order jobs never wait for a fan-out). Those that fail, or still run
   * after the wait, go to their queues last, a little later.
   */
  private async hand(rows: PendingOutboxRow[]): Promise<void> {
    const runner = this.inPlace;
    const now = Date.now();
    const here = runner ? rows.filter((r) => isInPlaceJob(r.name) && new Date(r.run_at).getTime() <= now).slice(0, IN_PLACE_PER_BATCH) : [];
    if (!runner || here.length === 0) return this.send(rows);
    const runsHere = new Set(here);
    await this.send(rows.filter((r) => !runsHere.has(r)));
    const outcome: ('running' | 'done' | 'failed')[] = here.map(() => 'running');
    const runs = here.map((r, i) =>
      runner({ id: outboxJobId(r.job_key), name: r.name as InPlaceJobName, data: r.payload, traceContext: r.trace_context }).then(
        () => void (outcome[i] = 'done'),
        () => void (outcome[i] = 'failed'),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(runs), new Promise((resolve) => (timer = setTimeout(resolve, this.inPlaceWaitMs)))]);
    clearTimeout(timer);
    const retry = here.filter((_, i) => outcome[i] !== 'done');
    if (retry.length === 0) return;
    const late = outcome.filter((o) => o === 'running').length;
    if (late > 0) this.log.warn(`${late} of ${here.length} jobs run in place were still running after ${this.inPlaceWaitMs} ms; they go to their queues too`);
    await this.send(retry, IN_PLACE_RETRY_DELAY_MS);
  }

  /** Adds the rows' jobs to their queues, each at its run_at, or `laterMs` from now if that is later. */
  private async send(rows: PendingOutboxRow[], laterMs = 0): Promise<void> {
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
            delay: Math.max(laterMs, new Date(r.run_at).getTime() - now),
            ...(COALESCED_JOBS.has(r.name) ? { deduplication: { id: r.name } } : {}),
            ...traceJobOptions(r.trace_context),
          },
        })),
      );
    }
  }
}
