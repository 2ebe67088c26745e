import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, NetworkCaller } from '@tandem/auth';
import { ROLES, isDomainError } from '@tandem/common';
import { DomainEvent } from '@tandem/jobs';
import { OrderObject, OrderPolicy, OrderQueryService, toOrderObject } from '@tandem/routing';
import { EventReach } from '../event-reach';
import { EventStream } from './event-stream.service';

const ANY_NETWORK_KEY = ['OPERATOR', ...ROLES] as const;

/**
 * orderUpdated and offerReceived (docs/api.md, "Webhooks and subscriptions"):
 * each event of the caller's network is checked with routing's OrderPolicy
 * against the order's reach at the event, then the order is read as the
 * caller may see it now (an order already out of its reach is skipped).
 */
@Resolver()
export class OrderSubscriptionResolver {
  constructor(
    private readonly stream: EventStream,
    private readonly reach: EventReach,
    private readonly policy: OrderPolicy,
    private readonly orders: OrderQueryService,
  ) {}

  @Subscription(() => OrderObject, {
    description: 'Every change of status of an order the caller can see (one order with orderId, else all it can see); the order as it is after the change.',
  })
  @Allow(...ANY_NETWORK_KEY)
  async orderUpdated(
    @CurrentCaller() caller: NetworkCaller,
    @Args('orderId', { type: () => ID, nullable: true }) orderId?: string | null,
  ): Promise<AsyncIterableIterator<{ orderUpdated: OrderObject }>> {
    // An order out of reach is NOT_FOUND up front, as its lookup would be.
    if (orderId) await this.orders.get(caller, orderId);
    const events = this.stream.events(caller.networkId);
    return this.orderStream(caller, events, 'orderUpdated', (event) => !orderId || event.data.orderId === orderId);
  }

  @Subscription(() => OrderObject, { description: 'Suppliers: each new offer made to the caller, as it is made.' })
  @Allow('SUPPLIER')
  offerReceived(@CurrentCaller() caller: NetworkCaller): AsyncIterableIterator<{ offerReceived: OrderObject }> {
    const self = caller.kind === 'MEMBER' ? caller.memberId : null;
    const events = this.stream.events(caller.networkId);
    return this.orderStream(caller, events, 'offerReceived', (event) => event.type === 'order.offered' && !!self && event.data.supplierId === self);
  }

  private orderStream<F extends string>(
    caller: Caller,
    events: AsyncIterableIterator<DomainEvent>,
    field: F,
    wanted: (event: DomainEvent) => boolean,
  ): AsyncIterableIterator<Record<F, OrderObject>> {
    const next = async (): Promise<IteratorResult<Record<F, OrderObject>>> => {
      for (;;) {
        const { value: event, done } = await events.next();
        if (done) return { value: undefined, done: true };
        if (!wanted(event)) continue;
        const reach = await this.reach.orderReach(event);
        if (!reach || !this.policy.canSee(caller, reach)) continue;
        try {
          const order = toOrderObject(await this.orders.get(caller, event.data.orderId));
          // The status right after this change, though a later one may already have followed.
          const status = (event.data.status as OrderObject['status'] | undefined) ?? order.status;
          return { value: { [field]: { ...order, status } } as Record<F, OrderObject>, done: false };
        } catch (e) {
          if (!isDomainError(e)) throw e;
        }
      }
    };
    const iterator: AsyncIterableIterator<Record<F, OrderObject>> = {
      [Symbol.asyncIterator]: () => iterator,
      next,
      return: async () => {
        await events.return?.();
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }
}
