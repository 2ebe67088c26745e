import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { publishEventJob } from './domain-events';
import { QUEUES } from './job-types';
import { IN_PLACE_PER_BATCH, IN_PLACE_RETRY_DELAY_MS, InPlaceJob, OutboxRelayService, outboxJobId } from './outbox-relay.service';
import { OutboxService } from './outbox.service';
import { QueueRegistry } from './queue-registry';
import { JobsTestApp, jobsTestApp } from './jobs-test-app.test-support';

/** Jobs the relay runs in place (IN_PLACE_JOBS), on real PostgreSQL and Redis. */
describe('outbox relay: jobs run in place', () => {
  let suite: JobsTestApp;
  let app: JobsTestApp['app'];

  beforeAll(async () => {
    suite = await jobsTestApp('outbox_in_place');
    app = suite.app;
  });

  afterAll(() => suite.close());

  const ds = () => app.get(DataSource);
  const webhooks = () => app.get(QueueRegistry).get(QUEUES.webhooks);
  const ledger = () => app.get(QueueRegistry).get(QUEUES.ledger);
  const relayWith = (runner: (job: InPlaceJob) => Promise<unknown>, waitMs?: number) => {
    const relay = new OutboxRelayService(ds(), app.get(QueueRegistry));
    relay.runInPlace(runner, waitMs);
    return relay;
  };
  const event = (orderId: string) => publishEventJob({ type: 'order.placed', networkId: randomUUID(), data: { orderId, status: 'ROUTING' } }, new Date());
  /** An order's published event and its ledger job, committed together; the job id each row's job has. */
  const commitEventAndJob = async (orderId: string) => {
    const published = event(orderId);
    await ds().transaction((em) => app.get(OutboxService).enqueueAll(em, [published, { name: 'post-fulfilment', payload: { orderId } }]));
    const rows: { name: string; job_key: string }[] = await ds().query(`SELECT name, job_key FROM outbox WHERE payload::text LIKE $1`, [`%${orderId}%`]);
    const idOf = (name: string) => outboxJobId(rows.find((r) => r.name === name)?.job_key ?? `no ${name} row`);
    return { event: published.payload, eventJobId: idOf('publish-event'), ledgerJobId: idOf('post-fulfilment') };
  };
  const pending = async () => Number((await ds().query(`SELECT count(*) FROM outbox WHERE relayed_at IS NULL`))[0].count);

  it('runs a published event in place, once, with its row as the job, and hands the other jobs of the batch to their queues', async () => {
    const ran: InPlaceJob[] = [];
    const { event: published, eventJobId, ledgerJobId } = await commitEventAndJob(randomUUID());
    const relay = relayWith(async (job) => void ran.push(job));
    expect(await relay.relayOnce()).toBe(2);
    expect(ran).toEqual([{ id: eventJobId, name: 'publish-event', data: published, traceContext: null }]);
    expect(await webhooks().getJob(eventJobId)).toBeUndefined();
    expect((await ledger().getJob(ledgerJobId))?.name).toBe('post-fulfilment');
    expect(await pending()).toBe(0);
    expect(await relay.relayOnce()).toBe(0);
    expect(ran).toHaveLength(1);
  });

  it(`sends a run that failed to its queue as a job of the same id, ${IN_PLACE_RETRY_DELAY_MS} ms later, and marks the row relayed`, async () => {
    const { event: published, eventJobId } = await commitEventAndJob(randomUUID());
    const relay = relayWith(async () => {
      throw new Error('the fan-out failed');
    });
    expect(await relay.relayOnce()).toBe(2);
    const job = await webhooks().getJob(eventJobId);
    expect({ name: job?.name, data: job?.data, delayed: await job?.isDelayed(), delay: job?.opts.delay }).toEqual({
      name: 'publish-event',
      data: published,
      delayed: true,
      delay: IN_PLACE_RETRY_DELAY_MS,
    });
    expect(await pending()).toBe(0);
  });

  it('hands a run still going after the wait to its queue, later, and commits the batch without it', async () => {
    const { eventJobId } = await commitEventAndJob(randomUUID());
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    try {
      expect(await relayWith(() => done, 50).relayOnce()).toBe(2);
      expect(await pending()).toBe(0);
      const job = await webhooks().getJob(eventJobId);
      expect({ name: job?.name, delayed: await job?.isDelayed() }).toEqual({ name: 'publish-event', delayed: true });
    } finally {
      finish();
    }
  });

  it('holds the row while its run goes on: another relay does not take it, and it is relayed when the run ends', async () => {
    const { eventJobId, ledgerJobId } = await commitEventAndJob(randomUUID());
    let started!: () => void;
    let finish!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const done = new Promise<void>((r) => (finish = r));
    const relay = relayWith(async () => {
      started();
      await done;
    });
    const first = relay.relayOnce();
    await running;
    // The batch's other job went to its queue before the run began.
    expect((await ledger().getJob(ledgerJobId))?.name).toBe('post-fulfilment');
    const other = relayWith(async () => {
      throw new Error('a second relay must not run it');
    });
    expect(await other.relayOnce()).toBe(0);
    expect(await pending()).toBe(2);
    finish();
    expect(await first).toBe(2);
    expect(await pending()).toBe(0);
    expect(await webhooks().getJob(eventJobId)).toBeUndefined();
  });

  it('runs it again with the next batch when its batch could not be finished (the failed run could not be handed over)', async () => {
    const { event: published, eventJobId } = await commitEventAndJob(randomUUID());
    const refuse = jest.spyOn(webhooks(), 'addBulk').mockRejectedValueOnce(new Error('the queue store is unreachable'));
    try {
      const failing = relayWith(async () => {
        throw new Error('the fan-out failed');
      });
      await expect(failing.relayOnce()).rejects.toThrow('unreachable');
    } finally {
      refuse.mockRestore();
    }
    expect(await pending()).toBe(2);
    const ran: unknown[] = [];
    expect(await relayWith(async (job) => void ran.push(job.data)).relayOnce()).toBe(2);
    expect(ran).toEqual([published]);
    expect(await webhooks().getJob(eventJobId)).toBeUndefined();
  });

  it(`runs at most ${IN_PLACE_PER_BATCH} in place per batch and hands the rest to their queue`, async () => {
    const events = Array.from({ length: IN_PLACE_PER_BATCH + 2 }, () => event(randomUUID()));
    await ds().transaction((em) => app.get(OutboxService).enqueueAll(em, events));
    let ran = 0;
    expect(
      await relayWith(async () => {
        ran++;
      }).relayOnce(),
    ).toBe(IN_PLACE_PER_BATCH + 2);
    expect(ran).toBe(IN_PLACE_PER_BATCH);
    const queued = (await webhooks().getJobs(['waiting'])).filter((j) => events.some((e) => e.payload.id === j.data.id));
    expect(queued).toHaveLength(2);
  });

  it('without a runner (an API process, or before the worker set one) hands every job to its queue', async () => {
    const { eventJobId } = await commitEventAndJob(randomUUID());
    expect(await new OutboxRelayService(ds(), app.get(QueueRegistry)).relayOnce()).toBe(2);
    expect((await webhooks().getJob(eventJobId))?.name).toBe('publish-event');
  });
});
