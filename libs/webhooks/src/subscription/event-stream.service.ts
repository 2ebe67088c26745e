import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DomainEvent } from '@tandem/jobs';
import { EVENTS_CHANNEL } from './event-channel';

type Listener = (event: DomainEvent) => void;

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;
/** Events a slow subscriber may have waiting before the oldest are dropped (it is told nothing it may not see either way). */
const MAX_QUEUED_PER_SUBSCRIBER = 1_000;

/**
 * The order events of every network, as the worker's fan-out announces them
 * (NOTIFY on EVENTS_CHANNEL, sent on commit), for this API process's
 * subscriptions: one LISTEN connection per process, reopened with backoff
 * when it is lost. Whichever process placed the order, every process hears it.
 */
@Injectable()
export class EventStream implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EventStream.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private client?: Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private ready?: Promise<void>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): Promise<void> {
    this.ready = this.listen(RETRY_MIN_MS);
    return this.ready;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  /** The network's order events from now on, until the iterator is returned (the subscription ends). */
  events(networkId: string): AsyncIterableIterator<DomainEvent> {
    const queue: DomainEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const listener: Listener = (event) => {
      if (queue.length >= MAX_QUEUED_PER_SUBSCRIBER) queue.shift();
      queue.push(event);
      wake?.();
    };
    const set = this.listeners.get(networkId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(networkId, set);
    const finish = () => {
      done = true;
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(networkId);
      wake?.();
    };
    const iterator: AsyncIterableIterator<DomainEvent> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (!done && queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        if (done) return { value: undefined, done: true };
        return { value: queue.shift() as DomainEvent, done: false };
      },
      return: async () => {
        finish();
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }

  private dispatch(raw: string | undefined): void {
    let event: DomainEvent;
    try {
      event = JSON.parse(raw ?? '') as DomainEvent;
    } catch {
      return;
    }
    for (const listener of this.listeners.get(event.networkId) ?? []) listener(event);
  }

  private async listen(retryMs: number): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    if (!url || this.stopped) return;
    const client = new Client({ connectionString: url, application_name: 'tandem-event-listener', keepAlive: true });
    let lost = false;
    const reconnect = (why: string) => {
      if (lost) return;
      lost = true;
      client.end().catch(() => undefined);
      if (this.client === client) this.client = undefined;
      if (this.stopped) return;
      this.log.warn(`event listener lost its connection (${why}); subscriptions wait until it is back`);
      this.retry = setTimeout(() => void this.listen(Math.min(retryMs * 2, RETRY_MAX_MS)), retryMs);
    };
    client.on('error', (e) => reconnect(e.message));
    client.on('end', () => reconnect('connection ended'));
    client.on('notification', (n) => this.dispatch(n.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      this.client = client;
    } catch (e) {
      reconnect((e as Error).message);
    }
  }
}
