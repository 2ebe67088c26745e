import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule, HealthService } from '@tandem/health';
import { NetworkModule, SupplierStatusListeners } from '@tandem/network';
import { AcceptanceFeesService } from './fees/acceptance-fees.service';
import { OfferEntity } from './order/offer.entity';
import { OfferService } from './order/offer.service';
import { OrderEntity } from './order/order.entity';
import { OrderEventEntity } from './order/order-event.entity';
import { SYSTEM_ACTOR } from './order/order-history';
import { OrderIntakeService } from './order/order-intake.service';
import { OrderLifecycleService } from './order/order-lifecycle.service';
import { OrderPolicy } from './order/order.policy';
import { OrderQueryService } from './order/order-query.service';
import { OrderLoader } from './order/order.loader';
import { RoutingReconcileService } from './order/routing-reconcile.service';
import { CandidateFinderService } from './router/candidate-finder.service';
import { CapacityService } from './router/capacity.service';
import { RouterService } from './router/router.service';
import { RoutingExplainerService } from './router/routing-explainer.service';
import { RoutingPolicyService } from './router/routing-policy.service';
import { RoutingConnectionGate } from './routing-connection-gate';
import { RoutingJobs } from './routing-jobs';
import { SupplierHealthSource } from './router/supplier-health.source';

const SERVICES = [
  OrderPolicy,
  OrderIntakeService,
  OrderLifecycleService,
  OrderQueryService,
  OrderLoader,
  OfferService,
  RoutingReconcileService,
  AcceptanceFeesService,
  CandidateFinderService,
  CapacityService,
  RouterService,
  RoutingExplainerService,
  RoutingPolicyService,
  RoutingConnectionGate,
  RoutingJobs,
];

/**
 * The routing domain: orders, eligibility, ranking, offers, expiry and capacity.
 * Imported by the API (through RoutingGraphqlModule) and by the worker.
 */
@Module({
  imports: [NetworkModule, HealthModule, TypeOrmModule.forFeature([OrderEntity, OfferEntity, OrderEventEntity])],
  providers: [
    ...SERVICES, // Ranking weighs each supplier's relationship health (libs/health).
    { provide: SupplierHealthSource, useExisting: HealthService },
  ],
  exports: [...SERVICES, SupplierHealthSource],
})
export class RoutingModule implements OnModuleInit {
  constructor(
    private readonly statusListeners: SupplierStatusListeners,
    private readonly offers: OfferService,
  ) {}

  onModuleInit(): void {
    // A supplier that is no longer vetted (or no longer a supplier) loses its open offers, which move on.
    this.statusListeners.register(async (em, supplierId, status) => {
      if (status === 'VETTED' || status === 'APPLIED' || status === 'UNDER_REVIEW') return;
      await this.offers.withdrawOffersOf(em, supplierId, SYSTEM_ACTOR);
    });
  }
}
