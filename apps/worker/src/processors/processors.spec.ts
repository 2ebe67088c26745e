import type { Job } from 'bullmq';
import { QueueHandlers } from '@tandem/jobs';
import { jobsProcessed } from '@tandem/observability';
import { inPlaceRunner } from './in-place-jobs';
import { HealthProcessor } from './health.processor';
import { LedgerProcessor } from './ledger.processor';
import { MaintenanceProcessor } from './maintenance.processor';
import { RoutingProcessor } from './routing.processor';

describe('the processors', () => {
  const ran: string[] = [];
  const handler = (name: string) => async () => {
    ran.push(name);
    return name;
  };
  const handlers: QueueHandlers = {
    routing: { 'route-order': handler('route-order'), 'expire-offer': handler('expire-offer') },
    ledger: { 'post-fulfilment': handler('post-fulfilment'), 'post-refund': handler('post-refund'), 'run-settlement': handler('run-settlement') },
    maintenance: {
      'reconcile-routing': handler('reconcile-routing'),
      'reconcile-ledger': handler('reconcile-ledger'),
      'explain-routing': handler('explain-routing'),
      'create-ledger-partitions': handler('create-ledger-partitions'),
    },
    health: { 'snapshot-health': handler('snapshot-health'), 'refresh-relationships': handler('refresh-relationships') },
    webhooks: { 'publish-event': handler('publish-event'), 'deliver-webhook': handler('deliver-webhook') },
  };
  const job = (name: string) => ({ name, data: {} }) as Job;

  it("run each job by its queue's handler", async () => {
    await expect(new RoutingProcessor(handlers).process(job('expire-offer'))).resolves.toBe('expire-offer');
    await expect(new LedgerProcessor(handlers).process(job('run-settlement'))).resolves.toBe('run-settlement');
    await expect(new MaintenanceProcessor(handlers).process(job('reconcile-ledger'))).resolves.toBe('reconcile-ledger');
    await expect(new HealthProcessor(handlers).process(job('snapshot-health'))).resolves.toBe('snapshot-health');
    expect(ran).toEqual(['expire-offer', 'run-settlement', 'reconcile-ledger', 'snapshot-health']);
  });

  it("run an in-place job by its queue's handler with its payload alone, counted like a processed job; a failure is passed on, counted as retrying", async () => {
    const count = async (outcome: string) =>
      (await jobsProcessed.get()).values.find((v) => v.labels.job === 'publish-event' && v.labels.outcome === outcome)?.value ?? 0;
    const [completed, retrying] = [await count('completed'), await count('retrying')];
    const data: unknown[] = [];
    const runner = inPlaceRunner({
      ...handlers,
      webhooks: {
        ...handlers.webhooks,
        'publish-event': async (event) => {
          data.push(event);
          if (event.id === 'fails') throw new Error('the fan-out failed');
          return 'fanned out';
        },
      },
    });
    const event = (id: string) => ({ id, type: 'order.placed' as const, networkId: 'n', occurredAt: '2026-12-06T00:00:00.000Z', data: {} });
    await expect(runner({ id: 'outbox-1', name: 'publish-event', data: event('e1'), traceContext: null })).resolves.toBe('fanned out');
    await expect(runner({ id: 'outbox-2', name: 'publish-event', data: event('fails'), traceContext: null })).rejects.toThrow('the fan-out failed');
    expect(data).toEqual([event('e1'), event('fails')]);
    expect([await count('completed'), await count('retrying')]).toEqual([completed + 1, retrying + 1]);
  });

  it('fail a job of another queue instead of running it', async () => {
    await expect(new HealthProcessor(handlers).process(job('post-refund'))).rejects.toThrow('no handler for job post-refund on the health queue');
  });
});
