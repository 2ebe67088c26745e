import { Queue, Worker } from 'bullmq';
import { queueConnectionOptions } from '@tandem/jobs';
import { BenchStack, Report, queueMode } from '../support';
import { withDb } from '../seed';

/**
 * The worker's overhead per job (outbox relay, processor dispatch, a lookup
 * that finds nothing to do) against a bare BullMQ worker with an empty processor,
 * both on the queue store the stack runs on (TANDEM_QUEUE_STORE: redis or postgres).
 */
export async function queue(stack: BenchStack, report: Report, opts: { jobs: number }): Promise<void> {
  const mode = queueMode(stack.config);
  const { connection, prefix } = queueConnectionOptions({ ...stack.config, queuePrefix: `${stack.config.queuePrefix}-bare` });
  const bare = new Queue('bare', { connection, prefix });
  await bare.addBulk(Array.from({ length: opts.jobs }, (_, i) => ({ name: 'noop', data: { i }, opts: { removeOnComplete: true } })));
  let done = 0;
  const started = Date.now();
  const finished = new Promise<void>((resolve) => {
    const w = new Worker('bare', async () => undefined, { connection, prefix, concurrency: 4 });
    w.on('completed', () => {
      if (++done === opts.jobs) void w.close().then(resolve);
    });
  });
  await finished;
  const bareRate = opts.jobs / ((Date.now() - started) / 1000);
  await bare.obliterate({ force: true });
  await bare.close();

  // The same number of route-order jobs for orders that do not exist: each is relayed, dispatched and looked up.
  // The worker is up first, so its boot is not counted; the clock runs from the commit of the outbox rows.
  const ours = new Queue('routing', queueConnectionOptions(stack.config));
  await stack.startWorker();
  const t0 = Date.now();
  const { cpuMs } = await stack.cpuDuring(async () => {
    await withDb(stack.config.databaseUrl, (db) =>
      db.query(
        `INSERT INTO outbox (queue, name, payload) SELECT 'routing', 'route-order', jsonb_build_object('orderId', gen_random_uuid()) FROM generate_series(1, $1)`,
        [opts.jobs],
      ),
    );
    for (;;) {
      const counts = await ours.getJobCounts('completed', 'failed');
      if ((counts.completed ?? 0) + (counts.failed ?? 0) >= opts.jobs) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  const ourRate = opts.jobs / ((Date.now() - t0) / 1000);
  await stack.stopWorker();
  await ours.close();
  report.add({
    name: `queue (${mode}): ${opts.jobs} jobs through outbox + worker`,
    value: ourRate,
    unit: 'jobs/s',
    baseline: { name: `bare BullMQ empty processor on ${mode} jobs/s`, value: bareRate },
  });
  report.add({ name: `queue (${mode}): overhead per job`, value: 1000 / ourRate - 1000 / bareRate, unit: 'ms' });
  // CPU, unlike wall time, says which process a job's cost is in, even on a loaded machine.
  report.add({ name: `queue (${mode}): worker CPU per job`, value: cpuMs.worker / opts.jobs, unit: 'ms' });
  report.add({ name: `queue (${mode}): PostgreSQL CPU per job`, value: cpuMs.postgres / opts.jobs, unit: 'ms' });
}
