import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { postingsParked, postingsParkedNow } from '@tandem/observability';
import { ParkedPostingRepository, ParkedRow, PostingStep } from './parked-posting.repository';
import { PARK_REASON_TEXT, ParkReason, PermanentFailure } from './posting-failure';

export type { PostingStep } from './parked-posting.repository';

export interface ParkedPosting {
  orderId: string;
  networkId: string;
  step: PostingStep;
  reason: ParkReason;
  /** The operator's text for the reason. */
  message: string;
  attempts: number;
  parkedAt: Date;
}

const MAX_LIST = 100;

const toParked = (r: ParkedRow): ParkedPosting => ({
  orderId: r.order_id,
  networkId: r.network_id,
  step: r.step,
  reason: r.reason,
  message: PARK_REASON_TEXT[r.reason] ?? r.reason,
  attempts: r.attempts,
  parkedAt: r.parked_at,
});

/**
 * Postings that failed for a reason retrying cannot fix (posting-failure.ts),
 * kept in parked_postings until an operator retries them: the ledger sweep
 * skips them, so a bad order is reported once instead of failing every 3 s.
 */
@Injectable()
export class ParkedPostingService {
  private readonly log = new Logger(ParkedPostingService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records the failure (a second one for the same order replaces it) and alerts: an error log line and a metric. */
  async park(orderId: string, step: PostingStep, failure: PermanentFailure): Promise<void> {
    await ParkedPostingRepository.park(this.dataSource.manager, orderId, step, failure);
    postingsParked.inc({ step, reason: failure.reason });
    this.log.error(
      `posting parked: order ${orderId}, ${step.toLowerCase()}: ${failure.reason}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}: ${failure.detail}; ` +
        'it will not be retried until an operator calls retryPosting',
    );
  }

  /** Removes the order from the parked list (before a retry); true when it was parked. */
  async unpark(em: EntityManager, orderId: string): Promise<boolean> {
    return ParkedPostingRepository.unpark(em, orderId);
  }

  async isParked(orderId: string): Promise<boolean> {
    return ParkedPostingRepository.isParked(this.dataSource.manager, orderId);
  }

  /** The network's parked postings, oldest first, at most 100. */
  async list(networkId: string): Promise<ParkedPosting[]> {
    return (await ParkedPostingRepository.list(this.dataSource.manager, networkId, MAX_LIST)).map(toParked);
  }

  /** The parked postings of several orders at once (for Order.postingProblem through a DataLoader). */
  async problemsOf(orderIds: readonly string[]): Promise<Map<string, ParkedPosting>> {
    const rows = await ParkedPostingRepository.of(this.dataSource.manager, orderIds);
    return new Map(rows.map((r) => [r.order_id, toParked(r)]));
  }

  /** Refreshes the gauge from the table, so every worker reports the same number. */
  async refreshGauge(): Promise<number> {
    const n = await ParkedPostingRepository.count(this.dataSource.manager);
    postingsParkedNow.set(n);
    return n;
  }
}
