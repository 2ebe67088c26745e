import { WebhookDeliverer, WebhookFanout, WebhookJobs } from '@tandem/webhooks';
import type { Job } from 'bullmq';
import { HealthJobs, HealthSnapshotService, RelationshipsService } from '@tandem/health';
import { JobName, JobPayloads, QUEUES, QueueName, assertEveryJobHandled, runJob } from '@tandem/jobs';
import { OfferService, RoutingConnectionGate, RoutingExplainerService, RoutingJobs, RoutingReconcileService } from '@tandem/routing';
import { LedgerJobs } from '@tandem/ledger';
import {
  FulfilmentBatcher,
  LedgerConnectionGate,
  LedgerReconcileService,
  OrderPostingService,
  SettlementJobs,
  SettlementRunService,
  SettlementScheduleService,
} from '@tandem/settlement';
import { queueHandlers } from './queue-handlers';

/** Orders by id: one in ROUTING, one offered meanwhile. */
const ROUTABLE = '0b8e2b0c-6f1e-4c55-9d1a-3f7c2e9a1b01';
const OFFERED_MEANWHILE = '0b8e2b0c-6f1e-4c55-9d1a-3f7c2e9a1b02';

/**
 * Each domain service as a recorder of the calls the handlers make (no database: this is the dispatch only).
 * The orders in `routing` are the ones route-order's first read finds in ROUTING.
 */
function domains(runScheduled: unknown = null, routingOrders: readonly string[] = [ROUTABLE]) {
  const calls: unknown[][] = [];
  const record =
    (name: string, result: unknown = undefined) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return result;
    };
  const routing = new RoutingJobs(
    { routeOrder: record('routeOrder'), expireOffer: record('expireOffer') } as unknown as OfferService,
    { reconcile: record('reconcileRouting', { routed: 1, expired: 0 }) } as unknown as RoutingReconcileService,
    { explainDue: record('explainDue') } as unknown as RoutingExplainerService,
    new RoutingConnectionGate(),
    // One statement for the batch of ids route-order jobs check together; it answers those in ROUTING.
    { query: async (_sql: string, [ids]: unknown[]) => (ids as string[]).filter((id) => routingOrders.includes(id)).map((id) => ({ id })) } as never,
  );
  const settlement = new SettlementJobs(
    { postRefund: record('postRefund', 'refund posted') } as unknown as OrderPostingService,
    { post: record('post', 'fulfilment posted') } as unknown as FulfilmentBatcher,
    { runScheduled: record('runScheduled', runScheduled) } as unknown as SettlementRunService,
    { reconcile: record('reconcileLedger', 3) } as unknown as LedgerReconcileService,
    { syncAll: record('syncAll') } as unknown as SettlementScheduleService,
    new LedgerConnectionGate(1),
  );
  const health = new HealthJobs(
    { run: record('snapshot', [{ networkId: 'n1' }]) } as unknown as HealthSnapshotService,
    { refreshChanged: record('refreshRelationships') } as unknown as RelationshipsService,
  );
  const webhooks = new WebhookJobs(
    { publish: record('publishEvent', { deliveries: 0 }) } as unknown as WebhookFanout,
    { attempt: record('attempt', 'skipped') } as unknown as WebhookDeliverer,
  );
  const ledger = new LedgerJobs({ manager: {} } as never);
  return { calls, routing, settlement, health, webhooks, ledger, handlers: queueHandlers(routing, settlement, health, webhooks, ledger) };
}

function run<N extends JobName>(handlers: ReturnType<typeof queueHandlers>, name: N, data: JobPayloads[N]): Promise<unknown> {
  const queue = (Object.values(QUEUES) as QueueName[]).find((q) => Object.hasOwn(handlers[q], name)) as QueueName;
  return runJob(queue, handlers[queue] as never, { name, data } as Job);
}

describe("the worker's job handlers", () => {
  it('cover every job of every queue the worker consumes', () => {
    expect(() => assertEveryJobHandled(domains().handlers)).not.toThrow();
  });

  it('stop the boot, in one line, when a domain leaves a job of its queue without a handler', () => {
    const { routing, settlement, health, webhooks, ledger } = domains();
    // As a settlement that lost its sweep would be, were the type check bypassed.
    const withoutSweep = { ...settlement, maintenance: {} } as unknown as SettlementJobs;
    expect(() => assertEveryJobHandled(queueHandlers(routing, withoutSweep, health, webhooks, ledger))).toThrow(
      new Error('no handler for maintenance/reconcile-ledger: every job of a consumed queue needs one'),
    );
  });

  it('hand each job to the service that owns it, with its ids, as the processors did', async () => {
    const { calls, handlers } = domains();
    await expect(run(handlers, 'route-order', { orderId: ROUTABLE })).resolves.toBeUndefined();
    await expect(run(handlers, 'expire-offer', { orderId: 'o1', offerId: 'f1' })).resolves.toBeUndefined();
    await expect(run(handlers, 'post-fulfilment', { orderId: 'o2' })).resolves.toBe('fulfilment posted');
    await expect(run(handlers, 'post-refund', { orderId: 'o3' })).resolves.toBe('refund posted');
    await expect(run(handlers, 'run-settlement', { networkId: 'n1' })).resolves.toBe('schedule off');
    // The sweeps run on their own clock: a job's data never reaches them as their `now`.
    await expect(run(handlers, 'reconcile-routing', {})).resolves.toBeUndefined();
    await expect(run(handlers, 'reconcile-ledger', {})).resolves.toBeUndefined();
    await expect(run(handlers, 'snapshot-health', {})).resolves.toBeUndefined();
    await expect(run(handlers, 'snapshot-health', { networkId: 'n1' })).resolves.toBeUndefined();
    expect(calls).toEqual([
      ['routeOrder', ROUTABLE],
      ['expireOffer', 'o1', 'f1', expect.any(Function)], // the routing gate, around each use of the database
      ['post', 'o2'],
      ['postRefund', 'o3'],
      ['runScheduled', 'n1'],
      ['reconcileRouting'],
      ['explainDue'],
      ['reconcileLedger'],
      ['snapshot', undefined],
      ['snapshot', 'n1'],
    ]);
  });

  it('leave a route-order job whose order is not in ROUTING (a duplicate, or an order offered meanwhile) without a routing pass', async () => {
    const { calls, handlers } = domains(null, [ROUTABLE]);
    await expect(run(handlers, 'route-order', { orderId: OFFERED_MEANWHILE })).resolves.toBeUndefined();
    await expect(run(handlers, 'route-order', { orderId: ROUTABLE })).resolves.toBeUndefined();
    // An id that is no order id fails its job (it is a bug upstream), without a pass.
    await expect(run(handlers, 'route-order', { orderId: 'o1' })).rejects.toThrow('route-order: o1 is not an order id');
    expect(calls).toEqual([['routeOrder', ROUTABLE]]);
  });

  it("keep what a scheduled settlement run produced as the job's return value", async () => {
    const { handlers } = domains({ run: { id: 'run-1' }, statements: [{}, {}] });
    await expect(run(handlers, 'run-settlement', { networkId: 'n1' })).resolves.toEqual({ runId: 'run-1', statements: 2 });
  });

  it("bring the settlement schedules in line through settlement's own sync", async () => {
    const { calls, settlement } = domains();
    await settlement.syncSchedules();
    expect(calls).toEqual([['syncAll']]);
  });
});
