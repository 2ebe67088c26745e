import type { Job } from 'bullmq';
import { JobHandlers, SharedQueueHandlers, assertEveryJobHandled, jobsOn, runJob, unhandledJobs } from './job-handlers';
import { QueueName } from './job-types';

const done = async () => undefined;
const job = (name: string, data: unknown) => ({ name, data }) as Job;

describe('job handler maps', () => {
  it('types a map by the jobs of its queue', () => {
    // @ts-expect-error a routing map without 'expire-offer' does not cover its queue, as a job added to JOB_QUEUE without a handler
    const missingOne: JobHandlers<'routing'> = { 'route-order': done };

    const wrongQueue: JobHandlers<'health'> = {
      'snapshot-health': done,
      // @ts-expect-error route-order runs on the routing queue, not on the health queue
      'route-order': done,
    };

    const typedData: JobHandlers<'routing'> = {
      'route-order': async ({ orderId }) => orderId,
      // @ts-expect-error an offer expiry carries orderId and offerId, nothing else
      'expire-offer': async ({ networkId }) => networkId,
    };

    const routingPart: SharedQueueHandlers<'maintenance', 'reconcile-routing'> = { 'reconcile-routing': done };
    const ledgerPart: SharedQueueHandlers<'maintenance', 'reconcile-ledger' | 'create-ledger-partitions'> = {
      'reconcile-ledger': done,
      'create-ledger-partitions': done,
    };
    const explainPart: SharedQueueHandlers<'maintenance', 'explain-routing'> = { 'explain-routing': done };
    const composed: JobHandlers<'maintenance'> = { ...routingPart, ...ledgerPart, ...explainPart };
    // @ts-expect-error one domain's part alone leaves the other's sweep unhandled
    const halfComposed: JobHandlers<'maintenance'> = { ...routingPart };

    expect([missingOne, wrongQueue, typedData, composed, halfComposed].map((m) => Object.keys(m).sort())).toEqual([
      ['route-order'],
      ['route-order', 'snapshot-health'],
      ['expire-offer', 'route-order'],
      ['create-ledger-partitions', 'explain-routing', 'reconcile-ledger', 'reconcile-routing'],
      ['reconcile-routing'],
    ]);
  });

  it('lists the jobs of each queue from JOB_QUEUE', () => {
    const queues: QueueName[] = ['routing', 'ledger', 'maintenance', 'health'];
    expect(Object.fromEntries(queues.map((q) => [q, jobsOn(q)]))).toEqual({
      routing: ['route-order', 'expire-offer'],
      ledger: ['post-fulfilment', 'post-refund', 'run-settlement'],
      maintenance: ['create-ledger-partitions', 'explain-routing', 'reconcile-routing', 'reconcile-ledger'],
      health: ['refresh-relationships', 'snapshot-health'],
    });
  });

  describe('the boot check', () => {
    const complete = {
      routing: { 'route-order': done, 'expire-offer': done },
      ledger: { 'post-fulfilment': done, 'post-refund': done, 'run-settlement': done },
      maintenance: { 'reconcile-routing': done, 'reconcile-ledger': done, 'explain-routing': done, 'create-ledger-partitions': done },
      health: { 'snapshot-health': done, 'refresh-relationships': done },
      webhooks: { 'publish-event': done, 'deliver-webhook': done },
    };

    it('passes when every job of every queue has a handler', () => {
      expect(unhandledJobs(complete)).toEqual([]);
      expect(() => assertEveryJobHandled(complete)).not.toThrow();
    });

    it('names, in one line, every job left without a handler', () => {
      const { health: _health, ...withoutHealth } = complete;
      const broken = { ...withoutHealth, maintenance: { ...complete.maintenance, 'reconcile-ledger': 'not a function' } };
      expect(unhandledJobs(broken)).toEqual(['maintenance/reconcile-ledger', 'health/refresh-relationships', 'health/snapshot-health']);
      expect(() => assertEveryJobHandled(broken)).toThrow(
        new Error('no handler for maintenance/reconcile-ledger, health/refresh-relationships, health/snapshot-health: every job of a consumed queue needs one'),
      );
    });

    it('checks only the queues asked for', () => {
      expect(unhandledJobs({ routing: complete.routing }, ['routing'])).toEqual([]);
    });

    it('does not take what an object inherits for a handler', () => {
      expect(unhandledJobs({ health: Object.create({ 'snapshot-health': done, 'refresh-relationships': done }) }, ['health'])).toEqual([
        'health/refresh-relationships',
        'health/snapshot-health',
      ]);
    });
  });

  describe('running a job', () => {
    it('hands the job its data and returns what its handler returns', async () => {
      const seen: unknown[] = [];
      const handlers: JobHandlers<'routing'> = {
        'route-order': async () => 'not this one',
        'expire-offer': async (data, j) => {
          seen.push(data, j.name);
          return 'expired';
        },
      };
      await expect(runJob('routing', handlers, job('expire-offer', { orderId: 'o1', offerId: 'f1' }))).resolves.toBe('expired');
      expect(seen).toEqual([{ orderId: 'o1', offerId: 'f1' }, 'expire-offer']);
    });

    it('fails a job its queue has no handler for, so that BullMQ retries it', async () => {
      const handlers: JobHandlers<'health'> = { 'snapshot-health': done, 'refresh-relationships': done };
      await expect(runJob('health', handlers, job('route-order', { orderId: 'o1' }))).rejects.toThrow('no handler for job route-order on the health queue');
      await expect(runJob('health', handlers, job('toString', {}))).rejects.toThrow('no handler for job toString on the health queue');
    });
  });
});
