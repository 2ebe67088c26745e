import { ROOT_CONTEXT, TraceFlags, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { DataSource } from 'typeorm';
import { QUEUES } from './job-types';
import { OutboxRelayService, outboxJobId } from './outbox-relay.service';
import { OutboxService } from './outbox.service';
import { QueueRegistry } from './queue-registry';
import { traceCarrierOf } from './trace-context';
import { JobsTestApp, jobsTestApp } from './jobs-test-app.test-support';

/** The outbox row carries the trace context of its writer to the job, and the backlog is what waits (real PostgreSQL and Redis). */
describe('outbox trace context and backlog', () => {
  let suite: JobsTestApp;
  let app: JobsTestApp['app'];

  beforeAll(async () => {
    suite = await jobsTestApp('outbox_trace');
    app = suite.app;
  });

  afterAll(() => suite.close());

  const ds = () => app.get(DataSource);
  const outbox = () => app.get(OutboxService);
  const rowOf = async (orderId: string) =>
    (await ds().query(`SELECT id, job_key, trace_context FROM outbox WHERE payload->>'orderId' = $1`, [orderId]))[0] as {
      id: string;
      job_key: string;
      trace_context: Record<string, string> | null;
    };

  it('writes no trace context while tracing is off', async () => {
    await ds().transaction((em) => outbox().enqueue(em, 'post-fulfilment', { orderId: 'untraced' }));
    expect((await rowOf('untraced')).trace_context).toBeNull();
    await app.get(OutboxRelayService).relayOnce();
  });

  it("writes the active span's traceparent into the row, and the relay hands it to the job as BullMQ's telemetry metadata", async () => {
    // What the SDK installs when tracing is on (libs/observability/src/tracing.ts): a context manager and the W3C propagator.
    const contexts = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contexts);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const spanId = 'b7ad6b7169203331';
    try {
      const request = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED });
      await context.with(request, () => ds().transaction((em) => outbox().enqueue(em, 'post-fulfilment', { orderId: 'traced' })));
    } finally {
      context.disable();
      propagation.disable();
    }
    const row = await rowOf('traced');
    expect(row.trace_context).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });

    expect(await app.get(OutboxRelayService).relayOnce()).toBe(1);
    const job = await app.get(QueueRegistry).get(QUEUES.ledger).getJob(outboxJobId(row.job_key));
    expect(job?.data).toEqual({ orderId: 'traced' });
    expect(job && traceCarrierOf(job)).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
  });

  it('counts the rows not yet relayed and the age of the oldest, and nothing once they are relayed', async () => {
    expect(await outbox().backlog()).toEqual({ rows: 0, oldestAgeSeconds: 0 });
    await ds().transaction(async (em) => {
      await outbox().enqueue(em, 'post-refund', { orderId: 'waiting-1' });
      await outbox().enqueue(em, 'post-refund', { orderId: 'waiting-2' });
    });
    await ds().query(`UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE payload->>'orderId' = 'waiting-1'`);
    const backlog = await outbox().backlog();
    expect(backlog.rows).toBe(2);
    expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(backlog.oldestAgeSeconds).toBeLessThan(120);
    expect(await app.get(OutboxRelayService).relayOnce()).toBe(2);
    expect(await outbox().backlog()).toEqual({ rows: 0, oldestAgeSeconds: 0 });
  });
});
