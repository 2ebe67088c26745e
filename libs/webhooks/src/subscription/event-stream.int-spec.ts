import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DomainEvent } from '@tandem/jobs';
// Specs may use the test harness; the boundary rule is meant for production code.
import { createTestDatabase } from '@tandem/testing';
import { EVENTS_CHANNEL } from './event-channel';
import { EventStream, REMEMBERED_EVENT_IDS } from './event-stream.service';

const event = (networkId: string, type: DomainEvent['type'] = 'order.placed'): DomainEvent => ({
  id: randomUUID(),
  type,
  networkId,
  occurredAt: new Date().toISOString(),
  data: { orderId: randomUUID() },
});

describe('the event stream of an API process', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stream: EventStream;
  let sender: Client;

  /**
   * Announces the events one transaction each, in this order, as jobs that run
   * again do (PostgreSQL itself folds a payload repeated within a transaction).
   */
  const announce = async (...events: DomainEvent[]) => {
    for (const e of events) await sender.query(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, JSON.stringify(e)]);
  };
  /** Many distinct events in one statement, as the fan-out announces a batch. */
  const announceAll = (events: DomainEvent[]) =>
    sender.query(`SELECT pg_notify($1, e) FROM unnest($2::text[]) AS e`, [EVENTS_CHANNEL, events.map((e) => JSON.stringify(e))]);

  beforeAll(async () => {
    db = await createTestDatabase('event_stream');
    stream = new EventStream({ options: { url: db.url } } as unknown as DataSource);
    await stream.onApplicationBootstrap();
    sender = new Client({ connectionString: db.url });
    await sender.connect();
  });

  afterAll(async () => {
    await sender?.end();
    await stream?.onApplicationShutdown();
    await db?.drop();
  });

  it('hears each event once, however many times it was announced, and only its own network', async () => {
    const networkId = randomUUID();
    const events = stream.events(networkId);
    const [placed, offered, elsewhere, later] = [event(networkId), event(networkId, 'order.offered'), event(randomUUID()), event(networkId)];

    await announce(placed, placed, offered, elsewhere, placed, offered);
    await announce(later);

    expect((await events.next()).value).toEqual(placed);
    expect((await events.next()).value).toEqual(offered);
    // Had a repeat or the other network's event got through, it would come before this one.
    expect((await events.next()).value).toEqual(later);
    await events.return?.();
  });

  it('forgets the oldest ids past REMEMBERED_EVENT_IDS, so its memory stays bounded', async () => {
    const networkId = randomUUID();
    const events = stream.events(networkId);
    const first = event(networkId);
    await announce(first);
    expect((await events.next()).value).toEqual(first);

    // Newer events of a network nobody here subscribes to push the first id out.
    const elsewhere = randomUUID();
    await announceAll(Array.from({ length: REMEMBERED_EVENT_IDS }, () => event(elsewhere)));
    const recent = event(networkId);
    await announce(first, recent, recent);

    expect((await events.next()).value).toEqual(first);
    expect((await events.next()).value).toEqual(recent);
    const last = event(networkId);
    await announce(recent, last);
    expect((await events.next()).value).toEqual(last);
    await events.return?.();
  });
});
