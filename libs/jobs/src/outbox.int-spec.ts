import { ROOT_CONTEXT, TraceFlags, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Job, Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventually } from '@tandem/testing';
import { queueConnectionOptions } from './queue-store';
import { OutboxRelayService, outboxJobId } from './outbox-relay.service';
import { JobHandlers, runJob } from './job-handlers';
import { OutboxService } from './outbox.service';
import { OutboxDoorbell } from './outbox-doorbell';
import { QUEUES } from './job-types';
import { QueueRegistry } from './queue-registry';
import { JobsTestApp, jobsTestApp } from './jobs-test-app.test-support';

describe('outbox relay (real PostgreSQL and Redis)', () => {
  let suite: JobsTestApp;
  let app: JobsTestApp['app'];
  let config: JobsTestApp['config'];
  let worker: Worker;
  const seen: Job[] = [];

  beforeAll(async () => {
    suite = await jobsTestApp('outbox');
    ({ app, config } = suite);
    // A bare consumer on the suite's own prefix records what reaches BullMQ.
    worker = new Worker(QUEUES.ledger, async (job) => void seen.push(job), queueConnectionOptions(config));
  });

  afterAll(async () => {
    await worker.close();
    await suite.close();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const ds = () => app.get(DataSource);
  const outbox = () => app.get(OutboxService);
  const pending = async () => Number((await ds().query(`SELECT count(*) FROM outbox WHERE relayed_at IS NULL`))[0].count);

  it('delivers the job of a committed change, once, with the job key of its row as job id', async () => {
    await ds().transaction((em) => outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-committed' }));
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(1);
    const job = await eventually(async () => seen.find((j) => j.data.orderId === 'order-committed'));
    expect(job.name).toBe('post-fulfilment');
    const [{ job_key }] = await ds().query(`SELECT job_key FROM outbox WHERE payload->>'orderId' = 'order-committed'`);
    expect(job.id).toBe(outboxJobId(job_key));
    expect(await pending()).toBe(0);
  });

  it('never delivers the job of a rolled-back change', async () => {
    await expect(
      ds().transaction(async (em) => {
        await outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-rolled-back' });
        throw new Error('the change fails after writing its job');
      }),
    ).rejects.toThrow('the change fails');
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.map((j) => j.data.orderId)).not.toContain('order-rolled-back');
  });

  it('loses nothing when the relay dies between commit and enqueue: the next relay sends it', async () => {
    await ds().transaction((em) => outbox().enqueue(em, 'post-refund', { orderId: 'order-crash' }));
    // The relay that should have sent it is gone; the row waits in PostgreSQL.
    expect(await pending()).toBe(1);
    const next = new OutboxRelayService(ds(), app.get(QueueRegistry));
    next.start(20);
    await eventually(async () => seen.find((j) => j.data.orderId === 'order-crash'));
    await next.stop();
    expect(await pending()).toBe(0);
  });

  it('leaves the claimed rows pending when the queue store refuses the batch: the next batch sends them', async () => {
    await ds().transaction((em) => outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-refused' }));
    const queue = app.get(QueueRegistry).get(QUEUES.ledger);
    const refuse = jest.spyOn(queue, 'addBulk').mockRejectedValueOnce(new Error('the queue store is unreachable'));
    try {
      await expect(app.get(OutboxRelayService).relayOnce()).rejects.toThrow('unreachable');
    } finally {
      refuse.mockRestore();
    }
    expect(await pending()).toBe(1);
    expect(seen.some((j) => j.data.orderId === 'order-refused')).toBe(false);
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(1);
    await eventually(async () => seen.find((j) => j.data.orderId === 'order-refused'));
    expect(await pending()).toBe(0);
  });

  it('does not run a job twice when a relay enqueued it but died before marking the row', async () => {
    await ds().transaction((em) => outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-twice' }));
    const [{ job_key }] = await ds().query(`SELECT job_key FROM outbox WHERE relayed_at IS NULL`);
    // What the dead relay got done: the job is in BullMQ, the row still pending.
    const queue = new Queue(QUEUES.ledger, queueConnectionOptions(config));
    await queue.add('post-fulfilment', { orderId: 'order-twice' }, { jobId: outboxJobId(job_key) });
    await eventually(async () => seen.find((j) => j.data.orderId === 'order-twice'));
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((j) => j.data.orderId === 'order-twice')).toHaveLength(1);
    await queue.close();
  });

  it('runs a new row even where a finished job still holds the id its row number would give (a restore, a new database)', async () => {
    // The next row's number, and a completed job under the id a relay keyed by row number would have used.
    const [{ next }] = await ds().query(`SELECT nextval(pg_get_serial_sequence('outbox', 'id')) + 1 AS next`);
    const queue = new Queue(QUEUES.ledger, queueConnectionOptions(config));
    await queue.add('post-fulfilment', { orderId: 'old-job' }, { jobId: `outbox-${next}` });
    await eventually(async () => seen.find((j) => j.data.orderId === 'old-job'));
    await ds().transaction((em) => outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-new' }));
    const [{ id }] = await ds().query(`SELECT id FROM outbox WHERE relayed_at IS NULL`);
    expect(String(id)).toBe(String(next));
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(1);
    await eventually(async () => seen.find((j) => j.data.orderId === 'order-new'));
    await queue.close();
  });

  it('writes jobs of several names in one statement, each on its queue, with the trace context of the writer, and relays each', async () => {
    const contexts = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contexts);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    try {
      const request = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: traceparent.slice(3, 35),
        spanId: traceparent.slice(36, 52),
        traceFlags: TraceFlags.SAMPLED,
      });
      await context.with(request, () =>
        ds().transaction((em) =>
          outbox().enqueueAll(em, [
            { name: 'post-fulfilment', payload: { orderId: 'order-all-1' } },
            { name: 'route-order', payload: { orderId: 'order-all-2' } },
            { name: 'post-refund', payload: { orderId: 'order-all-3' }, options: { runAt: new Date(Date.now() + 60_000) } },
          ]),
        ),
      );
    } finally {
      context.disable();
      propagation.disable();
    }
    const rows = await ds().query(
      `SELECT name, queue, payload, trace_context, run_at > created_at + interval '30 seconds' AS later FROM outbox
        WHERE payload->>'orderId' LIKE 'order-all-%' ORDER BY id`,
    );
    expect(rows).toEqual([
      { name: 'post-fulfilment', queue: QUEUES.ledger, payload: { orderId: 'order-all-1' }, trace_context: { traceparent }, later: false },
      { name: 'route-order', queue: QUEUES.routing, payload: { orderId: 'order-all-2' }, trace_context: { traceparent }, later: false },
      { name: 'post-refund', queue: QUEUES.ledger, payload: { orderId: 'order-all-3' }, trace_context: { traceparent }, later: true },
    ]);
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(3);
    await eventually(async () => seen.find((j) => j.data.orderId === 'order-all-1'));
    expect(await pending()).toBe(0);
  });

  it('writes one job given alone to enqueueAll as enqueue does, and nothing for none', async () => {
    await ds().transaction(async (em) => {
      await outbox().enqueueAll(em, []);
      await outbox().enqueueAll(em, [{ name: 'post-fulfilment', payload: { orderId: 'order-all-alone' } }]);
    });
    expect(await pending()).toBe(1);
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(1);
    await eventually(async () => seen.find((j) => j.data.orderId === 'order-all-alone'));
  });

  it('writes a change and its jobs in one statement: the jobs only when the change happened, nothing of either when it fails', async () => {
    await ds().query(`CREATE TABLE IF NOT EXISTS outbox_change_probe (id text PRIMARY KEY)`);
    const bell = OutboxDoorbell.of(ds());
    let rings = 0;
    bell.answerLocally(() => rings++);
    const change = (id: string, select = 'SELECT id FROM changed') =>
      outbox().enqueueWithChange<{ id: string }>(
        ds().manager,
        { ctes: `changed AS (INSERT INTO outbox_change_probe (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id)`, params: [id], guard: 'changed', select },
        [{ name: 'post-fulfilment', payload: { orderId: `order-with-${id}` } }],
      );
    const queued = async (id: string) =>
      Number((await ds().query(`SELECT count(*) FROM outbox WHERE payload->>'orderId' = $1`, [`order-with-${id}`]))[0].count);
    try {
      expect(await change('a')).toEqual([{ id: 'a' }]);
      expect([await queued('a'), rings]).toEqual([1, 1]);
      // The change did not happen (the key is taken): no job, no ring.
      expect(await change('a')).toEqual([]);
      expect([await queued('a'), rings]).toEqual([1, 1]);
      // The statement fails after both inserts: neither stays.
      await expect(change('b', 'SELECT id, 1 / 0 AS boom FROM changed')).rejects.toThrow(/division by zero/);
      expect((await ds().query(`SELECT id FROM outbox_change_probe ORDER BY id`)).map((r: { id: string }) => r.id)).toEqual(['a']);
      expect([await queued('b'), rings]).toEqual([0, 1]);
    } finally {
      bell.answerLocally(undefined);
    }
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(1);
    await eventually(async () => seen.find((j) => j.data.orderId === 'order-with-a'));
  });

  it('coalesces explain-routing: rows relayed while one job waits add none; a row after that job started adds its own', async () => {
    const queue = app.get(QueueRegistry).get(QUEUES.maintenance);
    const explainJobs = async () => (await queue.getJobs(['waiting', 'active'])).filter((j) => j.name === 'explain-routing');
    const relay = app.get(OutboxRelayService);
    const explain = (orderId: string) => ds().transaction((em) => outbox().enqueue(em, 'explain-routing', { orderId }));
    await explain('first');
    await relay.relayOnce();
    await explain('second');
    await explain('third');
    await relay.relayOnce();
    const waiting = await explainJobs();
    expect(waiting.map((j) => j.data.orderId)).toEqual(['first']);
    expect(await pending()).toBe(0);

    let started!: () => void;
    let finish!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const done = new Promise<void>((r) => (finish = r));
    const handled: string[] = [];
    const handlers = {
      'explain-routing': async ({ orderId }: { orderId: string }) => {
        handled.push(orderId);
        started();
        await done;
      },
    } as unknown as JobHandlers<'maintenance'>;
    const consumer = new Worker(QUEUES.maintenance, (job) => runJob('maintenance', handlers, job), queueConnectionOptions(config));
    try {
      await running;
      // Committed after the run started, which may have read the due rows already: a job of its own.
      await explain('fourth');
      await relay.relayOnce();
      expect((await explainJobs()).map((j) => j.data.orderId).sort()).toEqual(['first', 'fourth']);
      finish();
      await eventually(async () => (handled.length === 2 ? handled : undefined));
      expect(handled).toEqual(['first', 'fourth']);
    } finally {
      finish();
      await consumer.close();
    }
  });

  it('delays a job until its runAt', async () => {
    const runAt = new Date(Date.now() + 700);
    await ds().transaction((em) => outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-later' }, { runAt }));
    await app.get(OutboxRelayService).relayOnce();
    const job = await eventually(async () => seen.find((j) => j.data.orderId === 'order-later'), 5000);
    expect(job.processedOn ?? 0).toBeGreaterThanOrEqual(runAt.getTime() - 50);
  });

  it('listens again after losing its LISTEN connection: a new row is relayed by notification, not by the poll', async () => {
    // Polling once a minute: only a notification can relay a row within seconds.
    const relay = new OutboxRelayService(ds(), app.get(QueueRegistry));
    relay.start(60_000);
    try {
      await eventually(async () => relay.listenerConnections === 1);
      const killed = await ds().query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'tandem-outbox-listener'`,
      );
      expect(killed).toEqual([{ ok: true }]);
      await eventually(async () => relay.listenerConnections === 2);
      // As another process writes it: the row, then its doorbell's notification (this process's doorbell would ring the relay directly).
      await ds().query(`INSERT INTO outbox (queue, name, payload) VALUES ('ledger', 'post-fulfilment', '{"orderId": "order-after-reconnect"}')`);
      await ds().query(`SELECT pg_notify('tandem_outbox', '')`);
      await eventually(async () => seen.find((j) => j.data.orderId === 'order-after-reconnect'), 3000);
      expect(await pending()).toBe(0);
    } finally {
      await relay.stop();
    }
  });

  describe('the doorbell: a relay is told after the commit, never inside the writing transaction', () => {
    it("rings this process's relay once the transaction commits, not before, and not after a rollback", async () => {
      const bell = OutboxDoorbell.of(ds());
      let rings = 0;
      bell.answerLocally(() => rings++);
      try {
        await ds().transaction(async (em) => {
          await outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-bell-1' });
          await outbox().enqueueMany(em, 'post-fulfilment', [{ orderId: 'order-bell-2' }, { orderId: 'order-bell-3' }]);
          expect(rings).toBe(0);
        });
        expect(rings).toBe(1);
        await expect(
          ds().transaction(async (em) => {
            await outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-bell-rolled-back' });
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(rings).toBe(1);
        // Outside a transaction the insert is its own commit: the ring follows at once.
        await outbox().enqueue(ds().manager, 'post-fulfilment', { orderId: 'order-bell-4' });
        expect(rings).toBe(2);
        // Nothing written, nothing rung.
        await ds().transaction((em) => outbox().enqueueMany(em, 'post-fulfilment', []));
        expect(rings).toBe(2);
      } finally {
        bell.answerLocally(undefined);
      }
      expect(await app.get(OutboxRelayService).relayOnce()).toBe(4);
    });

    it('without a relay here, notifies other processes after the commit, folding rings that come while one is on its way', async () => {
      const listener = new Client({ connectionString: config.databaseUrl });
      await listener.connect();
      const heard: number[] = [];
      listener.on('notification', (n) => n.channel === 'tandem_outbox' && heard.push(Date.now()));
      await listener.query('LISTEN tandem_outbox');
      try {
        await ds().transaction(async (em) => {
          const sent = jest.spyOn(em, 'query');
          await outbox().enqueue(em, 'post-fulfilment', { orderId: 'order-bell-remote' });
          // The writing transaction sends no NOTIFY: that would take the database-wide lock at its commit.
          expect(sent.mock.calls.map(([sql]) => sql).filter((sql) => /notify/i.test(sql))).toEqual([]);
          expect(heard).toEqual([]);
        });
        await eventually(async () => heard.length >= 1);
        heard.length = 0;
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => ds().transaction((em) => outbox().enqueue(em, 'post-fulfilment', { orderId: `order-burst-${i}` }))),
        );
        const lastCommit = Date.now();
        await eventually(async () => heard.some((at) => at >= lastCommit - 50));
        expect(heard.length).toBeLessThanOrEqual(20);
      } finally {
        await listener.end();
      }
      while ((await app.get(OutboxRelayService).relayOnce()) > 0);
      expect(await pending()).toBe(0);
    });
  });
});
