import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderPostingService } from './order-posting.service';

const BATCH = 500;

/**
 * Job 'reconcile-ledger' (a BullMQ job scheduler, every few seconds): finds
 * fulfilled or refunded orders whose entry is missing, e.g. because Redis lost
 * the job after the outbox relayed it, and posts them. Posting is idempotent, so
 * racing the regular jobs is harmless.
 */
@Injectable()
export class LedgerReconcileService {
  private readonly log = new Logger(LedgerReconcileService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posting: OrderPostingService,
  ) {}

  /** Posts what is missing; returns how many orders it posted. */
  async reconcile(): Promise<number> {
    const rows: { id: string; status: string }[] = await this.dataSource.query(
      `SELECT o.id, o.status FROM orders o
        WHERE o.status IN ('FULFILLED', 'REFUNDED')
          AND NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.idempotency_key = 'order:' || o.id || ':fulfil')
       UNION
       SELECT o.id, o.status FROM orders o
        WHERE o.status = 'REFUNDED'
          AND NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.idempotency_key = 'order:' || o.id || ':refund')
       LIMIT ${BATCH}`,
    );
    let posted = 0;
    for (const row of rows) {
      try {
        const result = row.status === 'REFUNDED' ? await this.posting.postRefund(row.id) : await this.posting.postFulfilment(row.id);
        if (result === 'posted') posted++;
      } catch (e) {
        // One bad order must not block the others; it stays missing and is retried next time.
        this.log.error(`reconcile-ledger: order ${row.id}: ${(e as Error).message}`);
      }
    }
    if (posted > 0) this.log.warn(`reconcile-ledger: posted ${posted} order(s) whose job was lost`);
    return posted;
  }
}
