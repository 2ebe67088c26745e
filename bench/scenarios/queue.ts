import { Queue, Worker } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, OUTBOX_RELAY_BATCH, queueConnectionOptions } from '@tandem/jobs';
import { JOB_CONCURRENCY } from '../../apps/worker/src/processors/concurrency';
import { BenchStack, Report, queueMode } from '../support';
import { withDb } from '../seed';

/** The bench process's own CPU (user + system) so far, in ms: the bare producer and worker run in it. */
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * A bare BullMQ worker with an empty processor, timed two ways:
 * - as before 2026-12-02 19:30 ("pre-added"): N jobs added with addBulk before the clock starts, jobs without ids,
 *   removeOnComplete: true; the clock covers only the worker taking them;
 * - as our side is timed ("handed over", the baseline of the row since then): the clock starts as the
 *   jobs are handed to the producer, which adds them as the relay does (addBulk in batches of the relay's
 *   batch size, each job with an id and the relay's DEFAULT_JOB_OPTIONS), while the worker takes them at the
 *   routing queue's concurrency.
 */
async function bare(stack: BenchStack, jobs: number, preAdded: boolean): Promise<{ rate: number; cpuMs: number }> {
  const { connection, prefix } = queueConnectionOptions({ ...stack.config, queuePrefix: `${stack.config.queuePrefix}-bare` });
  const queue = new Queue('bare', { connection, prefix });
  const concurrency = preAdded ? 4 : JOB_CONCURRENCY.routing;
  const all = Array.from({ length: jobs }, (_, i) =>
    preAdded
      ? { name: 'noop', data: { i }, opts: { removeOnComplete: true } }
      : { name: 'route-order', data: { orderId: `bare-${i}` }, opts: { ...DEFAULT_JOB_OPTIONS, jobId: `bare-${i}` } },
  );
  if (preAdded) await queue.addBulk(all);
  const cpu0 = ownCpuMs();
  const started = Date.now();
  let done = 0;
  const worker = new Worker('bare', async () => undefined, { connection, prefix, concurrency, autorun: false });
  const finished = new Promise<void>((resolve) => {
    worker.on('completed', () => {
      if (++done === jobs) resolve();
    });
  });
  void worker.run();
  if (!preAdded) for (let i = 0; i < jobs; i += OUTBOX_RELAY_BATCH) await queue.addBulk(all.slice(i, i + OUTBOX_RELAY_BATCH));
  await finished;
  const rate = jobs / ((Date.now() - started) / 1000);
  const cpuMs = ownCpuMs() - cpu0;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { rate, cpuMs };
}

/**
 * The worker's overhead per job (outbox relay, processor dispatch, a lookup
 * that finds nothing to do) against a bare BullMQ worker with an empty processor,
 * both on the queue store the stack runs on (TANDEM_QUEUE_STORE: redis or postgres).
 * With BENCH_CPU_PROFILE=<dir> the worker is profiled while it drains the outbox
 * (<dir>/queue-outbox-worker.cpuprofile).
 */
export async function queue(stack: BenchStack, report: Report, opts: { jobs: number }): Promise<void> {
  const mode = queueMode(stack.config);
  const preAdded = await bare(stack, opts.jobs, true);
  const handedOver = await bare(stack, opts.jobs, false);

  // The same number of route-order jobs for orders that do not exist: each is relayed, dispatched and looked up.
  // The worker is up first, so its boot is not counted. "handed over": the clock runs from the commit of the
  // outbox rows (the relay wakes on its notification); "with the insert" (as before 2026-12-02 19:30) it also
  // counts the INSERT of the N rows.
  const ours = new Queue('routing', queueConnectionOptions(stack.config));
  await stack.startWorker();
  const t0 = Date.now();
  let committed = 0;
  const { cpuMs } = await stack.cpuDuring(() =>
    stack.profileWorker('queue-outbox-worker', async () => {
      await withDb(stack.config.databaseUrl, async (db) => {
        // Then the ring another process's OutboxDoorbell sends after its commit: the relay wakes on it, not at its next
        // 250 ms poll (before 2026-12-02 19:30 the bench's insert sent none and waited for the poll).
        await db.query(
          `INSERT INTO outbox (queue, name, payload)
           SELECT 'routing', 'route-order', jsonb_build_object('orderId', gen_random_uuid()) FROM generate_series(1, $1)`,
          [opts.jobs],
        );
        await db.query(`SELECT pg_notify('tandem_outbox', '')`);
      });
      committed = Date.now();
      for (;;) {
        const counts = await ours.getJobCounts('completed', 'failed');
        if ((counts.completed ?? 0) + (counts.failed ?? 0) >= opts.jobs) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  const end = Date.now();
  const ourRate = opts.jobs / ((end - committed) / 1000);
  const ourRateWithInsert = opts.jobs / ((end - t0) / 1000);
  await stack.stopWorker();
  await ours.close();
  report.add({
    name: `queue (${mode}): ${opts.jobs} jobs through outbox + worker, from the outbox commit`,
    value: ourRate,
    unit: 'jobs/s',
    baseline: {
      name: `bare BullMQ empty processor on ${mode}, from the handover (addBulk timed, concurrency ${JOB_CONCURRENCY.routing}) jobs/s`,
      value: handedOver.rate,
    },
  });
  report.add({ name: `queue (${mode}): bare / ours, both from the handover (target <= 3)`, value: handedOver.rate / ourRate, unit: 'x' });
  report.add({ name: `queue (${mode}): overhead per job, both from the handover`, value: 1000 / ourRate - 1000 / handedOver.rate, unit: 'ms' });
  report.add({
    name: `queue (${mode}): old definition: ours with the INSERT timed, jobs/s`,
    value: ourRateWithInsert,
    unit: 'jobs/s',
    baseline: { name: `bare BullMQ empty processor, jobs pre-added (addBulk not timed), concurrency 4, jobs/s`, value: preAdded.rate },
  });
  report.add({ name: `queue (${mode}): old definition: bare / ours`, value: preAdded.rate / ourRateWithInsert, unit: 'x' });
  // CPU, unlike wall time, says which process a job's cost is in, even on a loaded machine.
  report.add({ name: `queue (${mode}): worker CPU per job`, value: cpuMs.worker / opts.jobs, unit: 'ms' });
  report.add({ name: `queue (${mode}): PostgreSQL CPU per job`, value: cpuMs.postgres / opts.jobs, unit: 'ms' });
  report.add({ name: `queue (${mode}): Redis CPU per job`, value: cpuMs.redis / opts.jobs, unit: 'ms' });
  report.add({ name: `queue (${mode}): bare producer + worker CPU per job, from the handover`, value: handedOver.cpuMs / opts.jobs, unit: 'ms' });
  report.add({ name: `queue (${mode}): bare worker CPU per job, pre-added`, value: preAdded.cpuMs / opts.jobs, unit: 'ms' });
}
