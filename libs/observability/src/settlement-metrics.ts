import { Counter, Gauge, register } from 'prom-client';

function metric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Alerts on postings that will not heal (libs/settlement/src/posting/posting-failure.ts):
 * each parking counts once, labelled by a fixed set of reasons, never by order id.
 */
export const postingsParked = metric(
  'tandem_postings_parked_total',
  () =>
    new Counter({
      name: 'tandem_postings_parked_total',
      help: 'Fulfilment or refund postings parked because retrying cannot fix them, by step and reason',
      labelNames: ['step', 'reason'],
    }),
);

/** How many postings are parked now, across networks (set by the ledger sweep): alert while above zero. */
export const postingsParkedNow = metric(
  'tandem_postings_parked',
  () => new Gauge({ name: 'tandem_postings_parked', help: 'Postings parked and waiting for an operator retry' }),
);
