import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Caller } from '@tandem/auth';
import { OrderStatus, isUuid } from '@tandem/common';
import { DomainEvent, EventType } from '@tandem/jobs';
import { MemberPolicy } from '@tandem/network';
import { OrderPolicy, OrderReach } from '@tandem/routing';
import { OrderReachRepository } from './order-reach.repository';

/**
 * What a receiver is sent of each event's data: ids and a status only
 * (docs/api.md, "Webhooks and subscriptions"). Anything else in the data
 * (an order's reach at the time of the event) is for deciding who receives it.
 */
const SENT_FIELDS: Record<string, readonly string[]> = {
  'dispute.resolved': ['disputeId', 'orderId', 'status'],
  'feedback.received': ['feedbackId', 'orderId'],
  'statement.issued': ['statementId', 'memberId'],
  'statement.paid': ['statementId', 'memberId'],
  'health.at_risk': ['memberId'],
  'webhook.test': ['endpointId'],
};
const ORDER_FIELDS = ['orderId', 'status'] as const;

export function sentData(event: Pick<DomainEvent, 'type' | 'data'>): Record<string, string> {
  const fields = SENT_FIELDS[event.type] ?? (event.type.startsWith('order.') ? ORDER_FIELDS : []);
  return Object.fromEntries(fields.filter((f) => event.data[f] !== undefined).map((f) => [f, event.data[f]]));
}

/** The body of every attempt of every delivery of the event. */
export function webhookBody(event: Pick<DomainEvent, 'type' | 'occurredAt' | 'data'>): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: sentData(event) });
}

export const isOrderEvent = (type: EventType | string) => type.startsWith('order.');

/**
 * Who may be told of an event: the access table applied through the policies
 * that own it (routing's OrderPolicy for orders, network's MemberPolicy for a
 * member's own statements and health), never a copy of their rules.
 */
@Injectable()
export class EventReach {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrderPolicy,
    private readonly members: MemberPolicy,
  ) {}

  /**
   * A function telling, for each caller, whether it may see the event. Order
   * events carry the order's reach at the time of the event (routing's
   * recordOrderEvent); others about an order read the order as it is now.
   */
  async audience(event: DomainEvent): Promise<(caller: Caller) => boolean> {
    const data = event.data;
    const inNetwork = (caller: Caller) => caller.kind !== 'ADMIN' && caller.networkId === event.networkId;
    const operator = (caller: Caller) => caller.kind === 'OPERATOR' && inNetwork(caller);
    switch (event.type) {
      case 'statement.issued':
      case 'statement.paid':
      case 'health.at_risk':
        return (caller) => this.members.isSelfOrOperator(caller, { id: data.memberId, networkId: event.networkId });
      case 'webhook.test':
        return operator;
      default: {
        const order = await this.orderReach(event);
        if (!order) return operator;
        // Feedback goes to the order's other party: never back to its author.
        const author = event.type === 'feedback.received' ? data.authorId : undefined;
        return (caller) => this.orders.canSee(caller, order) && !(author && caller.kind === 'MEMBER' && caller.memberId === author);
      }
    }
  }

  /** The order's reach at the event, from the event when it carries it, else as the order is now. */
  async orderReach(event: DomainEvent): Promise<OrderReach | null> {
    const d = event.data;
    if (isOrderEvent(event.type) && d.clientId && d.status) {
      return {
        networkId: event.networkId,
        clientId: d.clientId,
        supplierId: d.supplierId || null,
        status: d.status as OrderStatus,
        acceptedAt: d.acceptedAt ? new Date(d.acceptedAt) : null,
      };
    }
    if (!isUuid(d.orderId ?? '')) return null;
    return (await OrderReachRepository.find(this.dataSource.manager, event.networkId, d.orderId)) ?? null;
  }
}
