import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Test-only fault: with TANDEM_TEST_STOP_BEFORE_COMMIT=<job name>, the process
 * stops itself (SIGSTOP) just before committing the first transaction run for
 * a job of that name, holding every lock the transaction took, as a hung
 * process, a long GC pause or a stalled VM would. test/paused-worker.e2e-spec.ts
 * resumes it with SIGCONT. This is the only place that reads the variable.
 */
const STOP_IN_JOB = process.env.TANDEM_TEST_STOP_BEFORE_COMMIT?.trim() || null;
let stopsLeft = STOP_IN_JOB ? 1 : 0;

/** The line a stopping process prints first, followed by the job's data as JSON: the test reads which work is held. */
export const STOP_LINE = 'test fault: stopping before commit in';

const currentJob = new AsyncLocalStorage<{ name: string; data: unknown }>();

/** Runs a job's work with its name known to the transactions it opens (a no-op unless the fault is set). */
export function runAsJob<T>(jobName: string, data: unknown, work: () => Promise<T>): Promise<T> {
  return STOP_IN_JOB ? currentJob.run({ name: jobName, data }, work) : work();
}

/** Called by TransactionRunner after the work and before COMMIT. */
export function beforeCommit(): void {
  const job = currentJob.getStore();
  if (stopsLeft === 0 || job?.name !== STOP_IN_JOB) return;
  stopsLeft--;
  // A write to a pipe is synchronous on Linux: the line is out before the process stops.
  process.stderr.write(`${STOP_LINE} ${job.name} ${JSON.stringify(job.data)}\n`);
  process.kill(process.pid, 'SIGSTOP');
}
