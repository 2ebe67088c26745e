import { InPlaceJob, InPlaceRunner, JOB_QUEUE, QueueHandlers, QueueName } from '@tandem/jobs';
import { JobObserver } from './job-observer';
import { inJobContext } from './queue.processor';

/**
 * How the worker's outbox relay runs the jobs of IN_PLACE_JOBS (libs/jobs'
 * OutboxRelayService.runInPlace): each by the handler of its queue, inside the
 * same context as a processor's run (a span continuing the writer's trace, the
 * job's name for the test fault), counted in the same metrics, but with no
 * BullMQ job: no add, no fetch, no completion.
 */
export function inPlaceRunner(handlers: QueueHandlers): InPlaceRunner {
  const observers = new Map<QueueName, JobObserver>();
  const observerOf = (queue: QueueName) => {
    let observer = observers.get(queue);
    if (!observer) observers.set(queue, (observer = new JobObserver(queue)));
    return observer;
  };
  return async (job: InPlaceJob) => {
    const queue = JOB_QUEUE[job.name];
    const handler = handlers[queue][job.name];
    const observer = observerOf(queue);
    const startedAt = performance.now();
    try {
      const result = await inJobContext({ queue, name: job.name, id: job.id, attempt: 1, carrier: job.traceContext, data: job.data }, () =>
        handler(job.data as Parameters<typeof handler>[0]),
      );
      observer.ranInPlace(job, startedAt);
      return result;
    } catch (e) {
      observer.ranInPlace(job, startedAt, e as Error);
      throw e;
    }
  };
}
