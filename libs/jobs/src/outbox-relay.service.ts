import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
  ) {}

  start(pollMs = 100): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      try {
        while (!this.stopped && (await this.relayOnce()) === BATCH);
      } catch (e) {
        this.log.error(`outbox relay failed: ${(e as Error).message}`);
      }
      if (!this.stopped) this.timer = setTimeout(tick, pollMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight?.catch(() => 0);
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
