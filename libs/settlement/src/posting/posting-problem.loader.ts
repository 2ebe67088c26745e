import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { ParkedPostingService } from './parked-posting.service';
import { PostingProblemObject, toPostingProblemObject } from './posting-problem.object';

/**
 * Order.postingProblem for a list of orders in one query. One DataLoader per
 * GraphQL request (keyed by its context object), so nothing is cached across
 * requests. The field is resolved by routing's Order resolver, which owns the
 * Order type; reach is the order's own (whoever sees the order sees this).
 */
@Injectable()
export class PostingProblemLoader {
  private readonly byRequest = new WeakMap<object, DataLoader<string, PostingProblemObject | null>>();

  constructor(private readonly parked: ParkedPostingService) {}

  load(ctx: object, orderId: string): Promise<PostingProblemObject | null> {
    let loader = this.byRequest.get(ctx);
    if (!loader) {
      loader = new DataLoader(async (ids: readonly string[]) => {
        const found = await this.parked.problemsOf(ids);
        return ids.map((id) => {
          const p = found.get(id);
          return p ? toPostingProblemObject(p) : null;
        });
      });
      this.byRequest.set(ctx, loader);
    }
    return loader.load(orderId);
  }
}
