import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { postingsParked, postingsParkedNow } from '@tandem/observability';
import { PARK_REASON_TEXT, ParkReason, PermanentFailure } from './posting-failure';

export type PostingStep = 'FULFILMENT' | 'REFUND';

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

interface ParkedRow {
  order_id: string;
  network_id: string;
  step: PostingStep;
  reason: ParkReason;
  attempts: number;
  parked_at: Date;
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
    await this.dataSource.query(
      `INSERT INTO parked_postings (order_id, network_id, step, reason, sqlstate, detail)
       SELECT o.id, o.network_id, $2, $3, $4, $5 FROM orders o WHERE o.id = $1
       ON CONFLICT (order_id) DO UPDATE
         SET step = EXCLUDED.step, reason = EXCLUDED.reason, sqlstate = EXCLUDED.sqlstate, detail = EXCLUDED.detail,
             attempts = parked_postings.attempts + 1, parked_at = clock_timestamp()`,
      [orderId, step, failure.reason, failure.sqlstate, failure.detail],
    );
    postingsParked.inc({ step, reason: failure.reason });
    this.log.error(
      `posting parked: order ${orderId}, ${step.toLowerCase()}: ${failure.reason}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}: ${failure.detail}; ` +
        'it will not be retried until an operator calls retryPosting',
    );
  }

  /** Removes the order from the parked list (before a retry); true when it was parked. */
  async unpark(em: EntityManager, orderId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(`DELETE FROM parked_postings WHERE order_id = $1 RETURNING order_id`, [orderId]);
    return rows.length > 0;
  }

  async isParked(orderId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM parked_postings WHERE order_id = $1`, [orderId]);
    return rows.length > 0;
  }

  /** The network's parked postings, oldest first, at most 100. */
  async list(networkId: string): Promise<ParkedPosting[]> {
    const rows: ParkedRow[] = await this.dataSource.query(
      `SELECT order_id, network_id, step, reason, attempts, parked_at FROM parked_postings
        WHERE network_id = $1 ORDER BY parked_at, order_id LIMIT ${MAX_LIST}`,
      [networkId],
    );
    return rows.map(toParked);
  }

  /** The parked postings of several orders at once (for Order.postingProblem through a DataLoader). */
  async problemsOf(orderIds: readonly string[]): Promise<Map<string, ParkedPosting>> {
    const rows: ParkedRow[] = await this.dataSource.query(
      `SELECT order_id, network_id, step, reason, attempts, parked_at FROM parked_postings WHERE order_id = ANY($1::uuid[])`,
      [[...orderIds]],
    );
    return new Map(rows.map((r) => [r.order_id, toParked(r)]));
  }

  /** Refreshes the gauge from the table, so every worker reports the same number. */
  async refreshGauge(): Promise<number> {
    const [{ n }]: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM parked_postings`);
    postingsParkedNow.set(n);
    return n;
  }
}
