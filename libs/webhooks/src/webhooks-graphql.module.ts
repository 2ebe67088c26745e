import { Module } from '@nestjs/common';
import { RoutingModule } from '@tandem/routing';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './endpoint/webhook.resolver';
import { EventStream } from './subscription/event-stream.service';
import { OrderSubscriptionResolver } from './subscription/order-subscription.resolver';
import { WebhooksModule } from './webhooks.module';

/** The API's surface of push.graphql: endpoint management, delivery logs and the order subscriptions. */
@Module({
  imports: [WebhooksModule, RoutingModule],
  providers: [WebhookEndpointResolver, WebhookDeliveryResolver, OrderSubscriptionResolver, EventStream],
})
export class WebhooksGraphqlModule {}
