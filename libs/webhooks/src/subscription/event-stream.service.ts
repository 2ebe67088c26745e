import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DomainEvent } from '@tandem/jobs';
import { PgListener } from '@tandem/persistence';
import { EVENTS_CHANNEL } from './event-channel';

type Listener = (event: DomainEvent) => void;

/** Events a slow subscriber may have waiting before the oldest are dropped (it is told nothing it may not see either way). */
const MAX_QUEUED_PER_SUBSCRIBER = 1_000;

/**
 * Event ids this process remembers having dispatched. An event is announced
 * again when its publish-event job runs again (a retry, or an in-place run
 * handed to its queue while still going: libs/jobs's outbox-relay.service.ts),
 * and a subscriber is to hear it once; an announcement repeated after this
 * many newer events would get through.
 */
export const REMEMBERED_EVENT_IDS = 10_000;

/** The last `size` ids seen, oldest forgotten first. */
class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly size: number) {}

  /** Whether the id is new; remembers it either way. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    // A Set iterates in insertion order: the first is the oldest.
    if (this.ids.size > this.size) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}

/**
 * The order events of every network, as the worker's fan-out announces them
 * (NOTIFY on EVENTS_CHANNEL, sent after the fan-out commits), for this API process's
 * subscriptions: one LISTEN connection per process (persistence's
 * PgListener, reopened with backoff when it is lost). Whichever process placed
 * the order, every process hears it. Events sent while the connection is down
 * reach no subscriber: subscriptions are live, webhooks are the durable path.
 * An event announced twice is dispatched once (REMEMBERED_EVENT_IDS).
 */
@Injectable()
export class EventStream implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EventStream.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private listener?: PgListener;
  private readonly dispatched = new RecentIds(REMEMBERED_EVENT_IDS);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Resolves once the connection listens (or first fails: it keeps retrying), so subscriptions made after start hear every event. */
  onApplicationBootstrap(): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    if (!url) {
      this.log.warn('no database URL to LISTEN on: subscriptions receive no events');
      return Promise.resolve();
    }
    return new Promise<void>((settled) => {
      this.listener = new PgListener(
        url,
        EVENTS_CHANNEL,
        {
          notify: (payload) => this.dispatch(payload),
          listening: () => settled(),
          lost: (why) => {
            settled();
            this.log.warn(`event listener lost its connection (${why}); subscriptions hear nothing until it is back`);
          },
        },
        'tandem-event-listener',
      );
      this.listener.start();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
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

  private dispatch(raw: string): void {
    let event: DomainEvent;
    try {
      event = JSON.parse(raw) as DomainEvent;
    } catch {
      return;
    }
    if (typeof event.id !== 'string' || !this.dispatched.add(event.id)) return;
    for (const listener of this.listeners.get(event.networkId) ?? []) listener(event);
  }
}
