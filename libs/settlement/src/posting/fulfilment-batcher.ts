import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { LedgerConnectionGate } from './ledger-connection-gate';
import { OrderPostingService, PostingOutcome } from './order-posting.service';

/** Fulfilment jobs that arrive within a few milliseconds share one transaction, at most this many. */
export const MAX_FULFILMENT_BATCH = 250;
const WINDOW_MS = 5;

/**
 * Worker side: gathers concurrent 'post-fulfilment' jobs into batches (DataLoader
 * does the gathering) while holding no connection; each batch is one transaction
 * through the ledger's connection gate. When a batch fails, its orders are posted
 * one by one, each through the gate, so one bad order fails only its own job and
 * the others still post.
 */
@Injectable()
export class FulfilmentBatcher {
  private readonly loader = new DataLoader<string, PostingOutcome>((ids) => this.postBatch(ids), {
    cache: false,
    maxBatchSize: MAX_FULFILMENT_BATCH,
    batchScheduleFn: (run) => setTimeout(run, WINDOW_MS),
  });

  constructor(
    private readonly postings: OrderPostingService,
    private readonly gate: LedgerConnectionGate,
  ) {}

  post(orderId: string): Promise<PostingOutcome> {
    return this.loader.load(orderId);
  }

  private async postBatch(ids: readonly string[]): Promise<(PostingOutcome | Error)[]> {
    try {
      return await this.gate.run(() => this.postings.postFulfilments(ids));
    } catch {
      return Promise.all(ids.map((id) => this.gate.run(() => this.postings.postFulfilment(id)).catch((e: Error) => e)));
    }
  }
}
