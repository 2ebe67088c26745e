import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OutboxJob, OutboxService } from './outbox.service';

/**
 * Every event type a partner can be told about (docs/api.md, "Webhooks and
 * subscriptions"). `webhook.test` is sent only on request, never published.
 */
export const EVENT_TYPES = [
  'order.placed',
  'order.offered',
  'order.accepted',
  'order.declined',
  'order.expired',
  'order.unroutable',
  'order.fulfilled',
  'order.cancelled',
  'order.refunded',
  'order.partially_refunded',
  'order.disputed',
  'dispute.resolved',
  'feedback.received',
  'statement.issued',
  'statement.paid',
  'health.at_risk',
  'webhook.test',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One thing that happened, as partners are told of it: thin data (ids and a
 * status), read in full through GraphQL with the receiver's own key.
 */
export interface DomainEvent {
  /** The event id: the webhook-id header on every attempt and at every endpoint. */
  id: string;
  type: EventType;
  networkId: string;
  /** The database time of the change, ISO 8601. */
  occurredAt: string;
  data: Record<string, string>;
}

/**
 * Publishes a domain event inside the caller's transaction (through the
 * outbox), so it exists exactly when the change it tells of was committed.
 */
export async function publishEvent(
  outbox: OutboxService,
  em: EntityManager,
  event: { type: Exclude<EventType, 'webhook.test'>; networkId: string; data: Record<string, string> },
  /** The database's clock at the change, when the caller already read it in this transaction (saves a round trip). */
  occurredAt?: Date,
  /** Other jobs of the same change, written in the same outbox statement as the event's (saves a round trip each). */
  also: readonly OutboxJob[] = [],
): Promise<DomainEvent> {
  const at = occurredAt ?? ((await em.query(`SELECT clock_timestamp() AS now`)) as { now: Date }[])[0].now;
  const job = publishEventJob(event, at);
  await outbox.enqueueAll(em, [job, ...also]);
  return job.payload;
}

/** The outbox job that publishes an event that happened at `occurredAt`, for a caller that writes it with its change. */
export function publishEventJob(
  event: { type: Exclude<EventType, 'webhook.test'>; networkId: string; data: Record<string, string> },
  occurredAt: Date,
): { name: 'publish-event'; payload: DomainEvent } {
  return { name: 'publish-event', payload: { id: randomUUID(), occurredAt: occurredAt.toISOString(), ...event } };
}
