import { Injectable } from '@nestjs/common';
import { Caller } from '@tandem/auth';
import { OrderStatus } from '@tandem/common';

/** The fields of an order that decide who reaches it. */
export interface OrderReach {
  networkId: string;
  clientId: string;
  supplierId: string | null;
  status: OrderStatus;
  acceptedAt: Date | null;
}

/** A WHERE fragment with named parameters, for TypeORM query builders. */
export interface SqlFilter {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Who reaches which order: the one place for docs/api.md, "Keys and reach".
 *
 * - operator: every order of its network;
 * - the client: its own orders;
 * - a supplier: the order it holds an offer on now (OFFERED to it), or that it
 *   accepted (ACCEPTED, FULFILLED, REFUNDED, or CANCELLED after acceptance);
 *   once it declines or its offer expires the order is out of its reach;
 * - a partner: none through referrals;
 * - several roles: the union.
 *
 * A lookup out of reach is NOT_FOUND; a list is filtered, never an error.
 */
@Injectable()
export class OrderPolicy {
  canSee(caller: Caller, order: OrderReach): boolean {
    if (caller.kind === 'ADMIN' || order.networkId !== caller.networkId) return false;
    if (caller.kind === 'OPERATOR') return true;
    return order.clientId === caller.memberId || this.isSupplierOf(caller, order);
  }

  /** The operator and the order's client see the whole routing pass and every event; a supplier only what is about itself. */
  seesEverything(caller: Caller, order: OrderReach): boolean {
    if (caller.kind === 'ADMIN' || order.networkId !== caller.networkId) return false;
    return caller.kind === 'OPERATOR' || order.clientId === caller.memberId;
  }

  /** The supplier holding the open offer (accept, decline). */
  holdsOffer(caller: Caller, order: OrderReach): boolean {
    return caller.kind === 'MEMBER' && order.status === 'OFFERED' && order.supplierId === caller.memberId;
  }

  /** The supplier that accepted (fulfil). */
  accepted(caller: Caller, order: OrderReach): boolean {
    return caller.kind === 'MEMBER' && order.acceptedAt !== null && order.supplierId === caller.memberId;
  }

  /** The order's client itself (a member key; the operator acting for it is not the client). */
  isClient(caller: Caller, order: OrderReach): boolean {
    return caller.kind === 'MEMBER' && order.networkId === caller.networkId && order.clientId === caller.memberId;
  }

  /** The client or the operator (cancel). */
  actsForClient(caller: Caller, order: OrderReach): boolean {
    return this.seesEverything(caller, order);
  }

  /** The member id whose own rows a supplier-only viewer may see, or null when it sees everything. */
  ownRowsOnly(caller: Caller, order: OrderReach): string | null {
    if (this.seesEverything(caller, order) || caller.kind !== 'MEMBER') return null;
    return caller.memberId;
  }

  /** canSee as SQL over the orders table aliased `alias` (the same rule, for lists). */
  filter(caller: Caller, alias: string): SqlFilter {
    if (caller.kind === 'ADMIN') return { sql: 'false', params: {} };
    const params: Record<string, unknown> = { op_network: caller.networkId };
    const inNetwork = `${alias}.network_id = :op_network`;
    if (caller.kind === 'OPERATOR') return { sql: inNetwork, params };
    params.op_self = caller.memberId;
    const reach =
      `(${alias}.client_id = :op_self OR (${alias}.supplier_id = :op_self` + ` AND (${alias}.status = 'OFFERED' OR ${alias}.accepted_at IS NOT NULL)))`;
    return { sql: `${inNetwork} AND ${reach}`, params };
  }

  private isSupplierOf(caller: Extract<Caller, { kind: 'MEMBER' }>, order: OrderReach): boolean {
    if (order.supplierId !== caller.memberId) return false;
    return order.status === 'OFFERED' || order.acceptedAt !== null;
  }
}
