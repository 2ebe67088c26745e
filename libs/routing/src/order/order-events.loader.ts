import { Injectable } from '@nestjs/common';
import { RequestLoader } from '@tandem/network';
import { OrderEventEntity } from './order-event.entity';
import { OrderQueryService } from './order-query.service';

/** Order.events for every order of a request in one query. */
@Injectable()
export class OrderEventsLoader extends RequestLoader<string, OrderEventEntity[]> {
  constructor(private readonly orders: OrderQueryService) {
    super();
  }

  /** `ctx` is the GraphQL context object (@Context()). */
  load(ctx: object, orderId: string): Promise<OrderEventEntity[]> {
    return this.loader(ctx).load(orderId);
  }

  protected async batch(orderIds: readonly string[]): Promise<OrderEventEntity[][]> {
    const byOrder = await this.orders.eventsOf(orderIds);
    return orderIds.map((id) => byOrder.get(id) ?? []);
  }
}
