import { Module } from '@nestjs/common';
import { WebhookJobs } from './webhook-jobs';

/** What the worker runs of webhooks: event fan-out and deliveries. */
@Module({ providers: [WebhookJobs], exports: [WebhookJobs] })
export class WebhooksWorkerModule {}
