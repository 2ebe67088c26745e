import { Injectable } from '@nestjs/common';
import { RequestLoader } from '@tandem/network';
import { RoutingExplainerService } from '../router/routing-explainer.service';
import type { RoutingRow } from './order.entity';

/**
 * Order.routing of the request's orders at an offer, in one query
 * (RoutingExplainerService.currentRoutings): whole even while the offer's
 * explanation is still to be written.
 */
@Injectable()
export class OrderRoutingLoader extends RequestLoader<string, RoutingRow[]> {
  constructor(private readonly explainer: RoutingExplainerService) {
    super();
  }

  /** `ctx` is the GraphQL context object (@Context()). */
  load(ctx: object, orderId: string): Promise<RoutingRow[]> {
    return this.loader(ctx).load(orderId);
  }

  protected async batch(orderIds: readonly string[]): Promise<RoutingRow[][]> {
    const routings = await this.explainer.currentRoutings(orderIds);
    return orderIds.map((id) => routings.get(id) ?? []);
  }
}
