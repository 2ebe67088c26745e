import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { OrderRefund, refundsOf } from './order-refunds';

/**
 * Order.refunds and Order.refundedAmount for a list of orders in one query. One
 * DataLoader per GraphQL request (keyed by its context object), so nothing is
 * cached across requests. The fields are resolved by routing's Order resolver,
 * which owns the Order type; whoever sees the order sees its refunds.
 */
@Injectable()
export class RefundsLoader {
  private readonly byRequest = new WeakMap<object, DataLoader<string, OrderRefund[]>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  load(ctx: object, orderId: string): Promise<OrderRefund[]> {
    let loader = this.byRequest.get(ctx);
    if (!loader) {
      loader = new DataLoader(async (ids: readonly string[]) => {
        const found = await refundsOf(this.dataSource.manager, ids);
        return ids.map((id) => found.get(id) ?? []);
      });
      this.byRequest.set(ctx, loader);
    }
    return loader.load(orderId);
  }
}
