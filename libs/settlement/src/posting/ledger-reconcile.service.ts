import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@tandem/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderPostingService, PostingOutcome } from './order-posting.service';
import { ParkedPostingService } from './parked-posting.service';
import { PostingRepository } from './posting.repository';

/**
 * An order fulfilled or refunded this long ago without its entry has lost its
 * job: as long as routing waits before it calls a routing job lost
 * (STUCK_ROUTING_MS in libs/routing/src/order/routing-reconcile.service.ts),
 * so a job that is merely queued behind others is left to run.
 */
export const LOST_POSTING_MS = 5_000;
/**
 * How far behind its high-water mark the sweep looks again: an order's
 * updated_at is stamped before its transaction commits, so a slow commit can
 * surface with a time older than the mark.
 */
export const SWEEP_OVERLAP_MS = 10 * 60_000;
const BATCH = 500;

/**
 * Job 'reconcile-ledger' (a BullMQ job scheduler, every few seconds): finds
 * fulfilled or refunded orders whose entry is missing, e.g. because Redis lost
 * the job after the outbox relayed it, and posts them. Posting is idempotent, so
 * racing the regular jobs is harmless; each order is taken with SKIP LOCKED, so
 * the sweep never waits behind another worker (a stalled one included) and
 * never posts what another session is posting. Parked orders are skipped.
 *
 * Cost: the first sweep of a process looks at every fulfilled order (FULFILLED_STATUSES)
 * (through the partial index orders_posting_sweep, beneath routing's view
 * order_facts); later ones only at orders changed since its high-water mark,
 * less SWEEP_OVERLAP_MS.
 */
@Injectable()
export class LedgerReconcileService {
  private readonly log = new Logger(LedgerReconcileService.name);
  /** Every order changed before this has been seen posted, parked or skipped for a retry. */
  private highWaterMark: Date | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posting: OrderPostingService,
    private readonly parked: ParkedPostingService,
    private readonly clock: Clock,
  ) {}

  /** Posts what is missing; returns how many orders it posted. */
  async reconcile(now = this.clock.now()): Promise<number> {
    const cutoff = new Date(now.getTime() - LOST_POSTING_MS);
    const since = this.highWaterMark ? new Date(this.highWaterMark.getTime() - SWEEP_OVERLAP_MS) : new Date(0);
    const rows = await PostingRepository.lostPostingCandidates(this.dataSource.manager, since, cutoff, BATCH);
    let posted = 0;
    let oldestLeft: Date | null = null;
    for (const row of rows) {
      let result: PostingOutcome | 'failed';
      try {
        result = row.refund_missing
          ? await this.posting.postRefund(row.id, { skipLocked: true })
          : await this.posting.postFulfilment(row.id, { skipLocked: true });
      } catch (e) {
        // A failure that may heal: one bad order must not block the others; it is tried again next time.
        this.log.error(`reconcile-ledger: order ${row.id}: ${(e as Error).message}`);
        result = 'failed';
      }
      if (result === 'posted') posted++;
      if ((result === 'failed' || result === 'locked-elsewhere') && !oldestLeft) oldestLeft = row.updated_at;
    }
    // A full batch leaves more to read from its last row on; otherwise everything up to the cutoff was seen.
    const seenUpTo = rows.length === BATCH ? rows[rows.length - 1].updated_at : cutoff;
    this.highWaterMark = oldestLeft && oldestLeft < seenUpTo ? oldestLeft : seenUpTo;
    if (posted > 0) this.log.warn(`reconcile-ledger: posted ${posted} order(s) whose job was lost`);
    await this.parked.refreshGauge();
    return posted;
  }
}
