import { JOB_CONCURRENCY, WORKER_POOL_SIZE, connectionsAtMost } from './concurrency';

describe('worker job concurrency', () => {
  it('never needs more connections than the pool holds', () => {
    expect(connectionsAtMost()).toBeLessThanOrEqual(WORKER_POOL_SIZE);
  });

  it('leaves postings enough concurrency to batch', () => {
    // Before: 256 concurrent ledger jobs on a pool of 10.
    expect(JOB_CONCURRENCY.ledger).toBeGreaterThanOrEqual(16);
    expect(JOB_CONCURRENCY.ledger).toBeLessThanOrEqual(WORKER_POOL_SIZE);
  });
});
