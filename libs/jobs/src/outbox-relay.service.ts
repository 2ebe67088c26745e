import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DEFAULT_JOB_OPTIONS, QueueName } from './job-types';
import { QueueRegistry } from './queue-registry';

interface PendingRow {
  id: string;
  queue: QueueName;
  name: string;
  payload: Record<string, unknown>;
  run_at: Date;
}

const BATCH = 500;

/**
 * Moves committed outbox rows to BullMQ. The outbox id is the BullMQ job id, so
 * a crash between enqueue and marking the row relayed re-sends a duplicate that
 * BullMQ drops. Several relays may run: rows are claimed with SKIP LOCKED.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = true;
  private inFlight?: Promise<number>;
  private listener?: Client;
  /** A notification arrived while a batch was running: run again right after. */
  private wakeAgain = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
  ) {}

  /**
   * Relays on every commit that wrote to the outbox (LISTEN/NOTIFY), and polls
   * as a safety net for a notification lost with a dropped connection.
   */
  start(pollMs = 250): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      if (this.timer) clearTimeout(this.timer);
      await this.drain();
      if (!this.stopped) this.timer = setTimeout(tick, pollMs);
    };
    void this.listen(() => void tick());
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    await this.inFlight?.catch(() => 0);
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.wakeAgain = false;
        while (!this.stopped && (await this.relayOnce()) === BATCH);
      } while (this.wakeAgain && !this.stopped);
    } catch (e) {
      this.log.error(`outbox relay failed: ${(e as Error).message}`);
    }
  }

  private async listen(onNotify: () => void): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    if (!url) return;
    const client = new Client({ connectionString: url, application_name: 'tandem-outbox-listener' });
    client.on('error', (e) => this.log.warn(`outbox listener lost its connection (polling continues): ${e.message}`));
    client.on('notification', () => {
      if (this.running) this.wakeAgain = true;
      else onNotify();
    });
    try {
      await client.connect();
      await client.query('LISTEN tandem_outbox');
      if (this.stopped) await client.end();
      else this.listener = client;
    } catch (e) {
      this.log.warn(`outbox listener unavailable (polling continues): ${(e as Error).message}`);
    }
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
        const rows: PendingRow[] = await em.query(
          `SELECT id, queue, name, payload, run_at FROM outbox
            WHERE relayed_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        );
        if (rows.length === 0) return 0;
        await this.send(rows);
        await em.query(`UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
        return rows.length;
      })
      .finally(() => {
        this.running = false;
      });
    return this.inFlight;
  }

  private async send(rows: PendingRow[]): Promise<void> {
    const byQueue = new Map<QueueName, PendingRow[]>();
    for (const r of rows) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
    const now = Date.now();
    for (const [name, list] of byQueue) {
      const queue: Queue = this.queues.get(name);
      await queue.addBulk(
        list.map((r) => ({
          name: r.name,
          data: r.payload,
          opts: {
            ...DEFAULT_JOB_OPTIONS,
            jobId: `outbox-${r.id}`,
            delay: Math.max(0, new Date(r.run_at).getTime() - now),
          },
        })),
      );
    }
  }
}
