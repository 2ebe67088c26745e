import { Module } from '@nestjs/common';
import { NetworkModule } from '@tandem/network';
import { SettlementModule } from '@tandem/settlement';
import { OrderEventResolver } from './order/order-event.resolver';
import { OrderEventsLoader } from './order/order-events.loader';
import { OrderResolver } from './order/order.resolver';
import { RoutingCandidateResolver } from './order/routing-candidate.resolver';
import { RoutingPolicyResolver } from './router/routing-policy.resolver';
import { RoutingModule } from './routing.module';

/** The routing domain's GraphQL surface; the worker imports RoutingModule without it. */
@Module({
  imports: [RoutingModule, NetworkModule, SettlementModule],
  providers: [OrderResolver, RoutingCandidateResolver, OrderEventResolver, RoutingPolicyResolver, OrderEventsLoader],
})
export class RoutingGraphqlModule {}
