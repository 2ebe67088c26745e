import { ROUTING_CONNECTIONS } from '@tandem/routing';
import { MAX_FULFILMENT_BATCH } from '@tandem/settlement';
import { MAX_IN_FLIGHT_PER_ENDPOINT, WEBHOOK_CONNECTIONS } from '@tandem/webhooks';
import { JOB_CONCURRENCY, LEDGER_CONNECTIONS, WORKER_POOL_SIZE, connectionsAtMost } from './concurrency';

describe('worker job concurrency', () => {
  it('never needs more connections than the pool holds', () => {
    expect(connectionsAtMost()).toBeLessThanOrEqual(WORKER_POOL_SIZE);
  });

  it('runs four routing jobs per connection of its gate, so waiting jobs share their reads', () => {
    expect(ROUTING_CONNECTIONS).toBe(4);
    expect(JOB_CONCURRENCY.routing).toBe(16);
  });

  it('runs as many ledger jobs as a fulfilment batch holds, on the connections the pool leaves', () => {
    // Jobs wait for the ledger's gate holding no connection, so a batch is not bounded by the pool.
    expect(JOB_CONCURRENCY.ledger).toBe(MAX_FULFILMENT_BATCH);
    expect(LEDGER_CONNECTIONS).toBeGreaterThanOrEqual(16);
    expect(LEDGER_CONNECTIONS).toBeLessThan(WORKER_POOL_SIZE);
  });

  it('runs many more webhook jobs than they hold connections, a slow receiver taking at most a quarter of them', () => {
    // Deliveries wait on receivers holding no connection; their reads and records share the gate's connections.
    expect(JOB_CONCURRENCY.webhooks).toBe(32);
    expect(WEBHOOK_CONNECTIONS).toBe(4);
    expect(JOB_CONCURRENCY.webhooks / MAX_IN_FLIGHT_PER_ENDPOINT).toBe(4);
  });
});
