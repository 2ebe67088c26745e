import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OfferService } from './offer.service';

/** An order in ROUTING this long has lost its job (a crash between states, a lost message). */
export const STUCK_ROUTING_MS = 5_000;
/** An open offer this far past its expiry has lost its expiry job. */
export const OVERDUE_OFFER_MS = 2_000;
const BATCH = 100;

/**
 * Job 'reconcile-routing', run every few seconds by a BullMQ job scheduler:
 * re-drives orders that a lost job left behind. Routing and expiry are
 * idempotent on the locked order row, so racing a late job is harmless.
 */
@Injectable()
export class RoutingReconcileService {
  private readonly log = new Logger(RoutingReconcileService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly offers: OfferService,
  ) {}

  async reconcile(now = new Date()): Promise<{ routed: number; expired: number }> {
    const stuck: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM orders WHERE status = 'ROUTING' AND updated_at < $1 ORDER BY updated_at LIMIT ${BATCH}`,
      [new Date(now.getTime() - STUCK_ROUTING_MS)],
    );
    const overdue: { order_id: string; id: string }[] = await this.dataSource.query(
      `SELECT order_id, id FROM offers WHERE status = 'OPEN' AND expires_at < $1 ORDER BY expires_at LIMIT ${BATCH}`,
      [new Date(now.getTime() - OVERDUE_OFFER_MS)],
    );
    // One failure must not hold up the rest; the next sweep tries it again.
    const attempt = (work: Promise<void>) => work.catch((e: Error) => this.log.error(`reconcile step failed: ${e.message}`));
    for (const { id } of stuck) await attempt(this.offers.routeOrder(id));
    for (const o of overdue) await attempt(this.offers.expireOffer(o.order_id, o.id));
    if (stuck.length || overdue.length) {
      this.log.warn(`re-drove ${stuck.length} order(s) stuck in ROUTING and ${overdue.length} overdue offer(s)`);
    }
    return { routed: stuck.length, expired: overdue.length };
  }
}
