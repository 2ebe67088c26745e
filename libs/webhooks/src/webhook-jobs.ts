import { Injectable, Logger } from '@nestjs/common';
import { JobHandlers } from '@tandem/jobs';

/**
 * The webhooks queue's handlers. Until endpoints exist (issue 17) a published
 * event has nobody to reach, so it is logged at debug and completes.
 */
@Injectable()
export class WebhookJobs {
  private readonly log = new Logger(WebhookJobs.name);

  readonly webhooks: JobHandlers<'webhooks'> = {
    'publish-event': async (event) => {
      this.log.debug(`event ${event.id} ${event.type}: no endpoints yet`);
    },
  };
}
