import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { isUuid } from '@tandem/common';
import { JobHandlers, SharedQueueHandlers } from '@tandem/jobs';
import { OfferService } from './order/offer.service';
import { RoutingReconcileService } from './order/routing-reconcile.service';
import { RoutingExplainerService } from './router/routing-explainer.service';
import { RoutingConnectionGate } from './routing-connection-gate';

/** Routing's job handlers: the whole routing queue and its sweep on the maintenance queue. */
@Injectable()
export class RoutingJobs {
  constructor(
    private readonly offers: OfferService,
    private readonly sweep: RoutingReconcileService,
    private readonly explainer: RoutingExplainerService,
    private readonly gate: RoutingConnectionGate,
    @InjectDataSource() private readonly dataSource: Pick<DataSource, 'query'>,
  ) {}

  /**
   * Whether a route-order job has anything to do: its order exists and is in ROUTING, read
   * with one plain statement on the primary (no transaction, no query builder). A job whose
   * order is not (a duplicate, a re-drive of an order offered meanwhile, an order that is
   * gone) then costs one round trip instead of BEGIN, a locked TypeORM findOne and COMMIT.
   * Sound without the lock: an order only enters ROUTING in a transaction that writes its
   * route-order outbox row, so a read that misses a ROUTING still uncommitted is followed by
   * that transaction's own job (and the reconcile sweep re-drives any order left there);
   * an order read in ROUTING is locked and read again by routeOrder, which decides.
   * Jobs that start in the same turn of the event loop, or wait for the gate meanwhile (the
   * queue's slots under load), share the statement: gathered until setImmediate, so no job
   * waits on a timer.
   */
  private readonly routable = new DataLoader<string, boolean>(
    async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? ((await this.gate.run(() => this.dataSource.query(`SELECT id FROM orders WHERE id = ANY ($1::uuid[]) AND status = 'ROUTING'`, [valid]))) as {
            id: string;
          }[])
        : [];
      const routing = new Set(rows.map((r) => r.id));
      // A malformed id fails its own job, loudly, and no other job of the batch.
      return ids.map((id) => (isUuid(id) ? routing.has(id.toLowerCase()) : new Error(`route-order: ${String(id).slice(0, 40)} is not an order id`)));
    },
    { cache: false, batchScheduleFn: (run) => setImmediate(run) },
  );

  /** Each job is idempotent on the locked order row; each holds a connection only through the gate. */
  readonly routing: JobHandlers<'routing'> = {
    'route-order': async ({ orderId }) => {
      if (await this.routable.load(orderId)) await this.gate.run(() => this.offers.routeOrder(orderId));
    },
    'expire-offer': ({ orderId, offerId }) => this.offers.expireOffer(orderId, offerId, (work) => this.gate.run(work)),
  };

  /**
   * The sweep re-drives orders a lost job or a crash left in ROUTING or past their offer's expiry, and writes
   * any explanation still due. Explanations run here, one at a time beside the sweeps, so a scan of a large
   * category never holds a routing slot that the next offer waits for; each run takes every due order.
   */
  readonly maintenance: SharedQueueHandlers<'maintenance', 'reconcile-routing' | 'explain-routing'> = {
    'reconcile-routing': async () => {
      await this.sweep.reconcile();
      await this.explainer.explainDue();
    },
    'explain-routing': async () => {
      await this.explainer.explainDue();
    },
  };
}
