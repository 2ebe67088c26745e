import { Module } from '@nestjs/common';
import { NetworkModule } from '@tandem/network';
import { RoutingModule } from '@tandem/routing';
import { WebhookEndpointService } from './endpoint/webhook-endpoint.service';
import { EventReach } from './event-reach';

/** What both processes use: endpoints and who may see an event (through routing's and network's policies). */
@Module({
  imports: [NetworkModule, RoutingModule],
  providers: [WebhookEndpointService, EventReach],
  exports: [WebhookEndpointService, EventReach],
})
export class WebhooksModule {}
