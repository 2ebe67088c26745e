import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Caller } from '@tandem/auth';
import { OrderStatus, Page, badInput, decodeCursor, isUuid, notFound, pageSize, toPage } from '@tandem/common';
import { OrderEntity } from './order.entity';
import { OrderEventEntity } from './order-event.entity';
import { OrderPolicy } from './order.policy';

/** What the orders list may be narrowed by; from is inclusive and to exclusive, on createdAt. */
export interface OrderListFilter {
  status?: OrderStatus | null;
  from?: Date | null;
  to?: Date | null;
  supplierId?: string | null;
  clientId?: string | null;
  first?: number | null;
  after?: string | null;
}

/** Reads orders within the caller's reach (OrderPolicy). */
@Injectable()
export class OrderQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: OrderPolicy,
  ) {}

  async get(caller: Caller, id: string): Promise<OrderEntity> {
    const order = isUuid(id) ? await this.dataSource.manager.findOneBy(OrderEntity, { id }) : null;
    if (!order || !this.policy.canSee(caller, order)) throw notFound('Order');
    return order;
  }

  /**
   * A page of the orders the caller reaches, oldest first (keyset on created_at, id).
   * The filters narrow the caller's reach, never widen it: a member naming another
   * member's orders gets none.
   */
  async list(caller: Caller, filter: OrderListFilter): Promise<Page<OrderEntity>> {
    const size = pageSize(filter.first);
    if (filter.from && filter.to && filter.from.getTime() > filter.to.getTime()) throw badInput('from is after to', 'from');
    for (const field of ['supplierId', 'clientId'] as const) {
      const id = filter[field];
      if (id != null && !isUuid(id)) throw badInput(`${field} is not a member id`, field);
    }
    const reach = this.policy.filter(caller, 'o');
    const qb = this.dataSource.manager.createQueryBuilder(OrderEntity, 'o').where(reach.sql, reach.params);
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
    if (filter.from) qb.andWhere('o.created_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('o.created_at < :to', { to: filter.to });
    if (filter.supplierId) qb.andWhere('o.supplier_id = :supplierId', { supplierId: filter.supplierId });
    if (filter.clientId) qb.andWhere('o.client_id = :clientId', { clientId: filter.clientId });
    const totalCount = await qb.clone().getCount();
    if (filter.after) {
      const cursor = decodeCursor(filter.after);
      if (!isUuid(cursor.id)) throw badInput('after is not a cursor from this list', 'after');
      qb.andWhere('(o.created_at, o.id) > (:afterAt, :afterId)', { afterAt: cursor.createdAt, afterId: cursor.id });
    }
    const rows = await qb
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(size + 1)
      .getMany();
    return toPage(rows, size, totalCount, filter.after ? decodeCursor(filter.after) : null);
  }

  /** The events of several orders at once (for the per-request DataLoader), oldest first. */
  async eventsOf(orderIds: readonly string[]): Promise<Map<string, OrderEventEntity[]>> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(OrderEventEntity, 'e')
      .where('e.order_id = ANY(:ids)', { ids: [...orderIds] })
      .orderBy('e.id', 'ASC')
      .getMany();
    const byOrder = new Map<string, OrderEventEntity[]>(orderIds.map((id) => [id, []]));
    for (const e of rows) byOrder.get(e.orderId)?.push(e);
    return byOrder;
  }
}
