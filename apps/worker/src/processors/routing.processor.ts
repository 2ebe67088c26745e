import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobName, JobPayloads, QUEUES } from '@tandem/jobs';
import { OfferService } from '@tandem/routing';
import { runAsJob } from '@tandem/persistence';
import { DRAIN_DELAY_SECONDS, JOB_CONCURRENCY } from './concurrency';

/** Routing passes and offer expiry; each job is idempotent on the locked order row. */
@Processor(QUEUES.routing, { concurrency: JOB_CONCURRENCY.routing, drainDelay: DRAIN_DELAY_SECONDS })
export class RoutingProcessor extends WorkerHost {
  constructor(private readonly offers: OfferService) {
    super();
  }

  process(job: Job): Promise<void> {
    return runAsJob(job.name, () => this.run(job));
  }

  private async run(job: Job): Promise<void> {
    switch (job.name as JobName) {
      case 'route-order': {
        const { orderId } = job.data as JobPayloads['route-order'];
        return this.offers.routeOrder(orderId);
      }
      case 'expire-offer': {
        const { orderId, offerId } = job.data as JobPayloads['expire-offer'];
        return this.offers.expireOffer(orderId, offerId);
      }
      default:
        throw new Error(`no handler for job ${job.name} on the ${QUEUES.routing} queue`);
    }
  }
}
