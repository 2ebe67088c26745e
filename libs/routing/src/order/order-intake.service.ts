import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { NetworkCaller, actorLabel } from '@tandem/auth';
import { Clock, badInput, conflict, forbidden, isUuid, notFound } from '@tandem/common';
import { TransactionRunner } from '@tandem/persistence';
import { MemberFactsRepository } from './member-facts.repository';
import { OrderEntity } from './order.entity';
import { OrderRepository } from './order.repository';
import { publishOrderEvent } from './order-history';
import { RawOrderInput, normalizeOrderInput, orderFingerprint } from './order-intake';

export interface PlaceOrderInput extends RawOrderInput {
  clientId?: string | null;
}

/**
 * placeOrder: validates, stores the order in ROUTING with its placed event and
 * queues its routing job and published event in the same transaction: BEGIN,
 * one insert of the order and its event, one outbox insert of both jobs,
 * COMMIT. Idempotent per (client, key), even for concurrent
 * requests: the unique constraint decides which request inserts.
 */
@Injectable()
export class OrderIntakeService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async place(caller: NetworkCaller, input: PlaceOrderInput): Promise<OrderEntity> {
    const now = this.clock.now();
    return this.tx.run(async (em) => {
      const clientId = await this.clientFor(em, caller, input.clientId);
      const order = normalizeOrderInput(input, now);
      const fingerprint = orderFingerprint(order);
      const placed = await OrderRepository.insertPlaced(
        em,
        {
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
        },
        // Under the simulated clock the event has the order's own time; else the database's clock at the insert.
        { actor: actorLabel(caller), at: this.clock.simulated ? now : null },
      );
      if (!placed) {
        // The key is taken (by a committed order: ON CONFLICT waited for any concurrent insert to finish).
        const existing = await em.findOneBy(OrderEntity, { clientId, idempotencyKey: order.idempotencyKey });
        if (!existing) throw new Error('idempotency key taken by an order that cannot be read');
        if (existing.inputFingerprint !== fingerprint) {
          throw conflict('this idempotencyKey was already used for an order with different input');
        }
        return existing;
      }
      // The placed event is in the history with the order (one statement); it is published with what intake
      // knows of the order right after the change, in one outbox statement with the order's routing job.
      const { order: stored, occurredAt } = placed;
      const reach = { status: stored.status, clientId: stored.clientId, supplierId: null, acceptedAt: null };
      await publishOrderEvent(em, stored, 'placed', reach, occurredAt, [{ name: 'route-order', payload: { orderId: stored.id } }]);
      return stored;
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
