import { Injectable } from '@nestjs/common';
import { JobHandlers, SharedQueueHandlers } from '@tandem/jobs';
import { OfferService } from './order/offer.service';
import { RoutingReconcileService } from './order/routing-reconcile.service';
import { RoutingExplainerService } from './router/routing-explainer.service';

/** Routing's job handlers: the whole routing queue and its sweep on the maintenance queue. */
@Injectable()
export class RoutingJobs {
  constructor(
    private readonly offers: OfferService,
    private readonly sweep: RoutingReconcileService,
    private readonly explainer: RoutingExplainerService,
  ) {}

  /** Each job is idempotent on the locked order row. */
  readonly routing: JobHandlers<'routing'> = {
    'route-order': ({ orderId }) => this.offers.routeOrder(orderId),
    'expire-offer': ({ orderId, offerId }) => this.offers.expireOffer(orderId, offerId),
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
