import { HealthJobs } from '@tandem/health';
import { QueueHandlers } from '@tandem/jobs';
import { LedgerJobs } from '@tandem/ledger';
import { RoutingJobs } from '@tandem/routing';
import { SettlementJobs } from '@tandem/settlement';
import { WebhookJobs } from '@tandem/webhooks';

/** Injection token of the worker's QueueHandlers. */
export const QUEUE_HANDLERS = Symbol('QUEUE_HANDLERS');

/**
 * Every queue's handlers, from the domains that own its jobs. The maintenance
 * queue keeps the sweeps of routing and settlement together (one at a time, on
 * one connection: concurrency.ts); its map is composed from both parts, and the
 * QueueHandlers type still proves that every one of its jobs is handled.
 */
export function queueHandlers(routing: RoutingJobs, settlement: SettlementJobs, health: HealthJobs, webhooks: WebhookJobs, ledger: LedgerJobs): QueueHandlers {
  return {
    routing: routing.routing,
    ledger: settlement.ledger,
    maintenance: { ...routing.maintenance, ...settlement.maintenance, ...ledger.maintenance },
    health: health.health,
    webhooks: webhooks.webhooks,
  };
}

export const queueHandlersProvider = {
  provide: QUEUE_HANDLERS,
  useFactory: queueHandlers,
  inject: [RoutingJobs, SettlementJobs, HealthJobs, WebhookJobs, LedgerJobs],
};
