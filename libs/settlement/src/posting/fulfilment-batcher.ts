import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { OrderPostingService, PostingOutcome } from './order-posting.service';

/** Fulfilment jobs that arrive within a few milliseconds share one transaction, at most this many. */
const MAX_BATCH = 250;
const WINDOW_MS = 5;

/**
 * Worker side: gathers concurrent 'post-fulfilment' jobs into batches (DataLoader
 * does the gathering). When a batch fails, its orders are posted one by one, so
 * one bad order fails only its own job and the others still post.
 */
@Injectable()
export class FulfilmentBatcher {
  private readonly loader = new DataLoader<string, PostingOutcome>((ids) => this.postBatch(ids), {
    cache: false,
    maxBatchSize: MAX_BATCH,
    batchScheduleFn: (run) => setTimeout(run, WINDOW_MS),
  });

  constructor(private readonly postings: OrderPostingService) {}

  post(orderId: string): Promise<PostingOutcome> {
    return this.loader.load(orderId);
  }

  private async postBatch(ids: readonly string[]): Promise<(PostingOutcome | Error)[]> {
    try {
      return await this.postings.postFulfilments(ids);
    } catch {
      return Promise.all(ids.map((id) => this.postings.postFulfilment(id).catch((e: Error) => e)));
    }
  }
}
