import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Caller } from '@tandem/auth';
import { OrderStatus, Page, badInput, decodeCursor, isUuid, notFound, pageSize, toPage } from '@tandem/common';
import { OrderEntity } from './order.entity';
import { OrderEventEntity } from './order-event.entity';
import { OrderPolicy } from './order.policy';

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

  /** A page of the orders the caller reaches, oldest first (keyset on created_at, id). */
  async list(caller: Caller, filter: { status?: OrderStatus | null; first?: number | null; after?: string | null }): Promise<Page<OrderEntity>> {
    const size = pageSize(filter.first);
    const reach = this.policy.filter(caller, 'o');
    const qb = this.dataSource.manager.createQueryBuilder(OrderEntity, 'o').where(reach.sql, reach.params);
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
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
