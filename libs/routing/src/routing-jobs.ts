import { Injectable } from '@nestjs/common';
import { JobHandlers, SharedQueueHandlers } from '@tandem/jobs';
import { OfferService } from './order/offer.service';
import { RoutingReconcileService } from './order/routing-reconcile.service';

/** Routing's job handlers: the whole routing queue and its sweep on the maintenance queue. */
@Injectable()
export class RoutingJobs {
  constructor(
    private readonly offers: OfferService,
    private readonly sweep: RoutingReconcileService,
  ) {}

  /** Each job is idempotent on the locked order row. */
  readonly routing: JobHandlers<'routing'> = {
    'route-order': ({ orderId }) => this.offers.routeOrder(orderId),
    'expire-offer': ({ orderId, offerId }) => this.offers.expireOffer(orderId, offerId),
  };

  /** Re-drives orders a lost job or a crash left in ROUTING or past their offer's expiry. */
  readonly maintenance: SharedQueueHandlers<'maintenance', 'reconcile-routing'> = {
    'reconcile-routing': async () => {
      await this.sweep.reconcile();
    },
  };
}
