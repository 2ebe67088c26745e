import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { FeeBreakdown } from './fee-calculator';
import { orderFeesOf } from './order-fees.repository';

/**
 * Order.fees for a list of orders in one query. One DataLoader per GraphQL
 * request (keyed by its context object), so nothing is cached across requests.
 * The field is resolved by routing's Order resolver, which owns the Order type.
 */
@Injectable()
export class OrderFeesLoader {
  private readonly byRequest = new WeakMap<object, DataLoader<string, FeeBreakdown | null>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  load(ctx: object, orderId: string): Promise<FeeBreakdown | null> {
    let loader = this.byRequest.get(ctx);
    if (!loader) {
      loader = new DataLoader(async (ids: readonly string[]) => {
        const found = await orderFeesOf(this.dataSource.manager, ids);
        return ids.map((id) => found.get(id) ?? null);
      });
      this.byRequest.set(ctx, loader);
    }
    return loader.load(orderId);
  }
}
