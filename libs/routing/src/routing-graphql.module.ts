import { Module } from '@nestjs/common';
import { NetworkModule } from '@tandem/network';
import { SettlementModule } from '@tandem/settlement';
import { OrderEventResolver } from './order/order-event.resolver';
import { OrderEventsLoader } from './order/order-events.loader';
import { OrderRoutingLoader } from './order/order-routing.loader';
import { OrderResolver } from './order/order.resolver';
import { RoutingCandidateResolver } from './order/routing-candidate.resolver';
import { RoutingPolicyResolver } from './router/routing-policy.resolver';
import { CapabilityReachResolver } from './reach/capability-reach.resolver';
import { CapabilityReachService } from './reach/capability-reach.service';
import { RoutingModule } from './routing.module';

/** The routing domain's GraphQL surface; the worker imports RoutingModule without it. */
@Module({
  imports: [RoutingModule, NetworkModule, SettlementModule],
  providers: [
    OrderResolver,
    RoutingCandidateResolver,
    OrderEventResolver,
    RoutingPolicyResolver,
    OrderEventsLoader,
    OrderRoutingLoader,
    CapabilityReachService,
    CapabilityReachResolver,
  ],
})
export class RoutingGraphqlModule {}
