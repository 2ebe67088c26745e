import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
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
    const cursor = filter.after ? decodeCursor(filter.after) : null;
    if (cursor && !isUuid(cursor.id)) throw badInput('after is not a cursor from this list', 'after');
    /** The caller's reach narrowed by the filters, on `alias`; with the cursor for the page, without it for totalCount. */
    const narrowed = (alias: string, withCursor: boolean): SelectQueryBuilder<OrderEntity> => {
      const reach = this.policy.filter(caller, alias);
      const qb = this.dataSource.manager.createQueryBuilder(OrderEntity, alias).where(reach.sql, reach.params);
      if (filter.status) qb.andWhere(`${alias}.status = :status`, { status: filter.status });
      if (filter.from) qb.andWhere(`${alias}.created_at >= :from`, { from: filter.from });
      if (filter.to) qb.andWhere(`${alias}.created_at < :to`, { to: filter.to });
      if (filter.supplierId) qb.andWhere(`${alias}.supplier_id = :supplierId`, { supplierId: filter.supplierId });
      if (filter.clientId) qb.andWhere(`${alias}.client_id = :clientId`, { clientId: filter.clientId });
      if (withCursor && cursor) qb.andWhere(`(${alias}.created_at, ${alias}.id) > (:afterAt, :afterId)`, { afterAt: cursor.createdAt, afterId: cursor.id });
      return qb.orderBy(`${alias}.created_at`, 'ASC').addOrderBy(`${alias}.id`, 'ASC');
    };
    const totalCount = await narrowed('o', false).orderBy().getCount();
    let page = narrowed('o', true);
    if (caller.kind === 'MEMBER') {
      // A member reaches the orders it is the client of and those it supplies. Asked as one OR, the
      // planner may walk the whole network's orders in created_at order and filter (a member with few
      // or only recent orders then costs a scan of the network); asked as the two sides, each is an
      // ordered walk of its own index (orders_client_created, orders_supplier_created) that stops
      // after a page. Each side keeps the whole reach filter: the sides only split it.
      const side = (alias: string, which: 'client' | 'supplier') =>
        narrowed(alias, true)
          .andWhere(which === 'client' ? `${alias}.client_id = :op_self` : `${alias}.supplier_id = :op_self AND ${alias}.client_id <> :op_self`)
          .select(`${alias}.id`)
          .limit(size + 1);
      const asClient = side('c', 'client');
      const asSupplier = side('s', 'supplier');
      page = this.dataSource.manager
        .createQueryBuilder(OrderEntity, 'o')
        .where(`o.id IN ((${asClient.getQuery()}) UNION ALL (${asSupplier.getQuery()}))`)
        .setParameters({ ...asClient.getParameters(), ...asSupplier.getParameters() })
        .orderBy('o.created_at', 'ASC')
        .addOrderBy('o.id', 'ASC');
    }
    const rows = await page.limit(size + 1).getMany();
    return toPage(rows, size, totalCount, cursor);
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
