import type { Job } from 'bullmq';
import { QueueHandlers } from '@tandem/jobs';
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

  it('fail a job of another queue instead of running it', async () => {
    await expect(new HealthProcessor(handlers).process(job('post-refund'))).rejects.toThrow('no handler for job post-refund on the health queue');
  });
});
