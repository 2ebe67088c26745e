import { Module } from '@nestjs/common';
import { WebhookConnectionGate } from './delivery/webhook-connection-gate';
import { WebhookDeliverer } from './delivery/webhook-deliverer.service';
import { WebhookFanout } from './delivery/webhook-fanout.service';
import { WebhookJobs } from './webhook-jobs';
import { WebhooksModule } from './webhooks.module';

/** What the worker runs of webhooks: event fan-out and deliveries. */
@Module({ imports: [WebhooksModule], providers: [WebhookConnectionGate, WebhookFanout, WebhookDeliverer, WebhookJobs], exports: [WebhookJobs] })
export class WebhooksWorkerModule {}
