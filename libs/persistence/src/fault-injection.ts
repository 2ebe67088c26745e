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

const currentJob = new AsyncLocalStorage<string>();

/** Runs a job's work with its name known to the transactions it opens (a no-op unless the fault is set). */
export function runAsJob<T>(jobName: string, work: () => Promise<T>): Promise<T> {
  return STOP_IN_JOB ? currentJob.run(jobName, work) : work();
}

/** Called by TransactionRunner after the work and before COMMIT. */
export function beforeCommit(): void {
  if (stopsLeft === 0 || currentJob.getStore() !== STOP_IN_JOB) return;
  stopsLeft--;
  process.kill(process.pid, 'SIGSTOP');
}
