import { QUEUES } from '../queues';
import { DomainEvent } from '../domain-events';

/** Jobs of published domain events: fanned out to webhooks and subscriptions (issue 17 builds the handlers). */
export interface EventJobPayloads {
  /** One domain event, written in the transaction that made it: fan it out to every matching endpoint and subscriber. */
  'publish-event': DomainEvent;
}

export const EVENT_JOB_QUEUE = {
  'publish-event': QUEUES.webhooks,
} as const;
