import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NetworkCaller, actorLabel } from '@tandem/auth';
import { Clock, badInput, conflict, forbidden, isUuid, notFound } from '@tandem/common';
import { OutboxJob, OutboxService } from '@tandem/jobs';
import { MemberFactsRepository } from './member-facts.repository';
import { OrderEntity } from './order.entity';
import { OrderRepository, PlacedOrderRow } from './order.repository';
import { orderEventJobs } from './order-history';
import { RawOrderInput, normalizeOrderInput, orderFingerprint } from './order-intake';

export interface PlaceOrderInput extends RawOrderInput {
  clientId?: string | null;
}

/**
 * placeOrder: validates, then stores the order in ROUTING with its placed
 * event, its published event and its routing job in one statement, which
 * commits on its own (OrderRepository.placedStatement): one round trip, where a
 * transaction of the same writes takes four. Idempotent per (client, key),
 * even for concurrent requests: the unique constraint decides which request
 * inserts.
 */
@Injectable()
export class OrderIntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async place(caller: NetworkCaller, input: PlaceOrderInput): Promise<OrderEntity> {
    const now = this.clock.now();
    const em = this.dataSource.manager;
    const clientId = await this.clientFor(em, caller, input.clientId);
    const order = normalizeOrderInput(input, now);
    const fingerprint = orderFingerprint(order);
    const id = randomUUID();
    const networkId = caller.networkId;
    // Published with what intake knows of the order right after the change, at the order's own time.
    const reach = { status: 'ROUTING', clientId, supplierId: null, acceptedAt: null };
    const jobs: OutboxJob[] = [...orderEventJobs({ id, networkId }, 'placed', reach, now), { name: 'route-order', payload: { orderId: id } }];
    const row: PlacedOrderRow = {
      id,
      networkId,
      clientId,
      category: order.category,
      region: order.region,
      quantity: order.quantity,
      deliverBy: order.deliverBy,
      budgetMinor: order.budget.minor,
      currency: order.budget.currency,
      notes: order.notes,
      idempotencyKey: order.idempotencyKey,
      inputFingerprint: fingerprint,
      at: now,
    };
    const placed = await this.outbox.enqueueWithChange(em, OrderRepository.placedStatement(row, actorLabel(caller)), jobs);
    if (placed.length > 0) return OrderRepository.placedEntity(row);
    // The key is taken (by a committed order: ON CONFLICT waited for any concurrent insert to finish).
    const existing = await em.findOneBy(OrderEntity, { clientId, idempotencyKey: order.idempotencyKey });
    if (!existing) throw new Error('idempotency key taken by an order that cannot be read');
    if (existing.inputFingerprint !== fingerprint) {
      throw conflict('this idempotencyKey was already used for an order with different input');
    }
    return existing;
  }

  /**
   * Whose order it is. An operator names a client of its network; a client key
   * places its own orders and may not name anyone else (FORBIDDEN).
   */
  private async clientFor(em: EntityManager, caller: NetworkCaller, clientId: string | null | undefined): Promise<string> {
    if (caller.kind === 'MEMBER') {
      if (clientId !== null && clientId !== undefined && clientId !== caller.memberId) {
        throw forbidden('a client key places orders for its own member only');
      }
      if (!caller.roles.includes('CLIENT')) throw forbidden('only a client may place orders');
      return caller.memberId;
    }
    if (clientId === null || clientId === undefined) throw badInput('clientId is required for an operator key', 'clientId');
    const roles = isUuid(clientId) ? await MemberFactsRepository.rolesIn(em, caller.networkId, clientId) : null;
    if (!roles) throw notFound('Client');
    if (!roles.includes('CLIENT')) throw badInput('that member is not a client', 'clientId');
    return clientId;
  }
}
