import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@tandem/common';
import { OfferRepository } from './offer.repository';
import { OfferService } from './offer.service';
import { OrderRepository } from './order.repository';

/** An order in ROUTING this long has lost its job (a crash between states, a lost message). */
export const STUCK_ROUTING_MS = 5_000;
/** An open offer this far past its expiry has lost its expiry job. */
export const OVERDUE_OFFER_MS = 2_000;
const BATCH = 100;

/**
 * Job 'reconcile-routing', run every few seconds by a BullMQ job scheduler:
 * re-drives orders that a lost job left behind. Routing and expiry are
 * idempotent on the locked order row, so racing a late job is harmless. Each
 * query only probes for rows no one holds (its locks end with the statement); the
 * job then locks the row again, and a lock taken in between is waited for at
 * most the pool's lock_timeout (libs/persistence/src/database-role.ts).
 */
@Injectable()
export class RoutingReconcileService {
  private readonly log = new Logger(RoutingReconcileService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly offers: OfferService,
    private readonly clock: Clock,
  ) {}

  async reconcile(now = this.clock.now()): Promise<{ routed: number; expired: number }> {
    // Rows another session holds are skipped, not waited for: that session or the next sweep deals with them.
    const em = this.dataSource.manager;
    const stuck = await OrderRepository.stuckInRouting(em, new Date(now.getTime() - STUCK_ROUTING_MS), BATCH);
    const overdue = await OfferRepository.overdueOpen(em, new Date(now.getTime() - OVERDUE_OFFER_MS), BATCH);
    // One failure must not hold up the rest; the next sweep tries it again.
    const attempt = (work: Promise<void>) => work.catch((e: Error) => this.log.error(`reconcile step failed: ${e.message}`));
    for (const id of stuck) await attempt(this.offers.routeOrder(id));
    for (const o of overdue) await attempt(this.offers.expireOffer(o.orderId, o.offerId));
    if (stuck.length || overdue.length) {
      this.log.warn(`re-drove ${stuck.length} order(s) stuck in ROUTING and ${overdue.length} overdue offer(s)`);
    }
    return { routed: stuck.length, expired: overdue.length };
  }
}
