import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { NetworkCaller, actorLabel } from '@tandem/auth';
import { Clock, badInput, conflict, forbidden, isUuid, notFound } from '@tandem/common';
import { OutboxService } from '@tandem/jobs';
import { TransactionRunner } from '@tandem/persistence';
import { MemberFactsRepository } from './member-facts.repository';
import { OrderEntity } from './order.entity';
import { OrderRepository } from './order.repository';
import { recordOrderEvent } from './order-history';
import { RawOrderInput, normalizeOrderInput, orderFingerprint } from './order-intake';

export interface PlaceOrderInput extends RawOrderInput {
  clientId?: string | null;
}

/**
 * placeOrder: validates, stores the order in ROUTING and queues its routing job
 * in the same transaction. Idempotent per (client, key), even for concurrent
 * requests: the unique constraint decides which request inserts.
 */
@Injectable()
export class OrderIntakeService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async place(caller: NetworkCaller, input: PlaceOrderInput): Promise<OrderEntity> {
    const now = this.clock.now();
    return this.tx.run(async (em) => {
      const clientId = await this.clientFor(em, caller, input.clientId);
      const order = normalizeOrderInput(input, now);
      const fingerprint = orderFingerprint(order);
      const placed = await OrderRepository.insertPlaced(em, {
        id: randomUUID(),
        networkId: caller.networkId,
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
      });
      if (!placed) {
        // The key is taken (by a committed order: ON CONFLICT waited for any concurrent insert to finish).
        const existing = await em.findOneBy(OrderEntity, { clientId, idempotencyKey: order.idempotencyKey });
        if (!existing) throw new Error('idempotency key taken by an order that cannot be read');
        if (existing.inputFingerprint !== fingerprint) {
          throw conflict('this idempotencyKey was already used for an order with different input');
        }
        return existing;
      }
      await recordOrderEvent(em, placed, 'placed', actorLabel(caller), { at: this.clock.simulatedNow() });
      await this.outbox.enqueue(em, 'route-order', { orderId: placed.id });
      return placed;
    });
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
