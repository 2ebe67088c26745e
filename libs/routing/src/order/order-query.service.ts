import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Caller } from '@tandem/auth';
import { EntityRows, entityRows, selectRows } from '@tandem/persistence';
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

  /** The list's rows, read with plain SQL (TypeORM's query building was the largest part of a page's API time). */
  private get rows(): EntityRows<OrderEntity> {
    return entityRows(this.dataSource, OrderEntity);
  }

  async get(caller: Caller, id: string): Promise<OrderEntity> {
    const order = isUuid(id) ? await this.dataSource.manager.findOneBy(OrderEntity, { id }) : null;
    if (!order) throw notFound('Order');
    return this.visibleTo(caller, order);
  }

  /** The order when the caller may see it; NOT_FOUND otherwise, as for a missing one. */
  visibleTo(caller: Caller, order: OrderEntity): OrderEntity {
    if (!this.policy.canSee(caller, order)) throw notFound('Order');
    return order;
  }

  /** The orders of these ids that exist, in no particular order, without a reach check (OrderLoader checks it per caller). */
  findByIds(ids: readonly string[]): Promise<OrderEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length === 0 ? Promise.resolve([]) : this.dataSource.manager.findBy(OrderEntity, { id: In(valid) });
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
    const reach = this.policy.filter(caller, 'o');
    const params: Record<string, unknown> = { ...reach.params, limit: size + 1 };
    /** The filters (and, for the page, the cursor) on `alias`, as AND terms. */
    const narrow = (alias: string, withCursor: boolean): string => {
      const terms: string[] = [];
      const term = (sql: string, values: Record<string, unknown>) => {
        terms.push(` AND ${sql}`);
        Object.assign(params, values);
      };
      if (filter.status) term(`${alias}.status = :status`, { status: filter.status });
      if (filter.from) term(`${alias}.created_at >= :from`, { from: filter.from });
      if (filter.to) term(`${alias}.created_at < :to`, { to: filter.to });
      if (filter.supplierId) term(`${alias}.supplier_id = :supplierId`, { supplierId: filter.supplierId });
      if (filter.clientId) term(`${alias}.client_id = :clientId`, { clientId: filter.clientId });
      if (withCursor && cursor) term(`(${alias}.created_at, ${alias}.id) > (:afterAt, :afterId)`, { afterAt: cursor.createdAt, afterId: cursor.id });
      return terms.join('');
    };
    const oldestFirst = (alias: string) => `ORDER BY ${alias}.created_at, ${alias}.id LIMIT :limit`;
    let pageWhere = `${reach.sql}${narrow('o', true)}`;
    if (caller.kind === 'MEMBER') {
      // A member reaches the orders it is the client of and those it supplies (OrderPolicy.filter).
      // Asked as one OR, the planner may walk the whole network's orders in created_at order and
      // filter (at 500,000 orders it filtered 19,980 rows for a page of 21; for a member whose orders
      // are few or recent, the whole network), or fetch and sort all of the member's orders. Asked as
      // its two sides, each an ordered walk of its own index (orders_client_created,
      // orders_supplier_created) that stops after a page, merged and cut to the page. The sides carry
      // only their own predicate (the planner does not simplify the OR inside a side: it would read
      // the supplier's orders in the client side); the policy's reach still filters the outer query,
      // so the sides can never widen it (order-query.int-spec.ts checks they cover it).
      const side = (alias: string, predicate: string) =>
        `SELECT ${alias}.id FROM orders ${alias} WHERE ${alias}.network_id = :op_network AND ${predicate}${narrow(alias, true)} ${oldestFirst(alias)}`;
      const asClient = side('c', 'c.client_id = :op_self');
      const asSupplier = side('s', `s.supplier_id = :op_self AND s.client_id <> :op_self AND (s.status = 'OFFERED' OR s.accepted_at IS NOT NULL)`);
      pageWhere += ` AND o.id IN ((${asClient}) UNION ALL (${asSupplier}))`;
    }
    // The count and the page in one round trip: the page joins the one-row count, so an empty page still brings the total.
    const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT t.total, p.* FROM (SELECT count(*) AS total FROM orders o WHERE ${reach.sql}${narrow('o', false)}) t
         LEFT JOIN LATERAL (SELECT ${this.rows.columns('o')} FROM orders o WHERE ${pageWhere} ${oldestFirst('o')}) p ON true`,
      params,
      {},
    );
    const found = await selectRows<{ total: string; id: string | null }>(this.dataSource.manager, sql, values);
    const rows = found.filter((r) => r.id !== null).map((r) => this.rows.map(r));
    return toPage(rows, size, Number(found[0]?.total ?? 0), cursor);
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
