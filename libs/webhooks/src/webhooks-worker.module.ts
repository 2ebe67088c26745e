import { Module } from '@nestjs/common';
import { WebhookDeliverer } from './delivery/webhook-deliverer.service';
import { WebhookFanout } from './delivery/webhook-fanout.service';
import { WebhookJobs } from './webhook-jobs';
import { WebhooksModule } from './webhooks.module';

/** What the worker runs of webhooks: event fan-out and deliveries. */
@Module({ imports: [WebhooksModule], providers: [WebhookFanout, WebhookDeliverer, WebhookJobs], exports: [WebhookJobs] })
export class WebhooksWorkerModule {}
