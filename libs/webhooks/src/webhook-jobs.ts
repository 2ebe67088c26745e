import { Injectable } from '@nestjs/common';
import { JobHandlers } from '@tandem/jobs';
import { WebhookDeliverer } from './delivery/webhook-deliverer.service';
import { WebhookFanout } from './delivery/webhook-fanout.service';

/** The webhooks queue's handlers: a published event fanned out to its endpoints, and each delivery attempt. */
@Injectable()
export class WebhookJobs {
  constructor(
    private readonly fanout: WebhookFanout,
    private readonly deliverer: WebhookDeliverer,
  ) {}

  readonly webhooks: JobHandlers<'webhooks'> = {
    'publish-event': (event) => this.fanout.publish(event),
    'deliver-webhook': (job) => this.deliverer.attempt(job),
  };
}
