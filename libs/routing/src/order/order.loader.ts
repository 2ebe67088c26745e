import { Injectable } from '@nestjs/common';
import { Caller } from '@tandem/auth';
import { notFound } from '@tandem/common';
import { RequestLoader } from '@tandem/network';
import { OrderEntity } from './order.entity';
import { OrderQueryService } from './order-query.service';

/**
 * Orders by id within one GraphQL request, in one query for a whole list
 * (Dispute.order, Feedback.order). The reach is checked per order for the
 * request's caller, by the rule OrderQueryService.get applies.
 */
@Injectable()
export class OrderLoader extends RequestLoader<string, OrderEntity> {
  constructor(private readonly orders: OrderQueryService) {
    super();
  }

  /** `ctx` is the GraphQL context object (@Context()); NOT_FOUND when the order is missing or out of the caller's reach. */
  async load(ctx: object, caller: Caller, id: string): Promise<OrderEntity> {
    return this.orders.visibleTo(caller, await this.loader(ctx).load(id));
  }

  protected async batch(ids: readonly string[]): Promise<(OrderEntity | Error)[]> {
    const rows = new Map((await this.orders.findByIds(ids)).map((o) => [o.id, o]));
    return ids.map((id) => rows.get(id) ?? notFound('Order'));
  }
}
