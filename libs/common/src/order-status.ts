/**
 * Where an order stands. Routing moves it; settlement and health read it (health
 * may not import routing, so the list lives here). The GraphQL enum OrderStatus
 * is registered from this list (libs/routing/src/order/order.object.ts).
 */
export const ORDER_STATUSES = ['ROUTING', 'OFFERED', 'ACCEPTED', 'FULFILLED', 'CANCELLED', 'UNROUTABLE', 'REFUNDED', 'DISPUTED', 'PARTIALLY_REFUNDED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The statuses of an order that was fulfilled: its fulfilment is posted in the
 * ledger whatever happened after (a dispute holds no money; refunds reverse
 * part or all of it). Posting, the ledger sweep and health read this list.
 */
export const FULFILLED_STATUSES = ['FULFILLED', 'PARTIALLY_REFUNDED', 'DISPUTED', 'REFUNDED'] as const satisfies readonly OrderStatus[];

/** The statuses an order may be refunded from (in part or in full); a DISPUTED order waits for its resolution. */
export const REFUNDABLE_STATUSES = ['FULFILLED', 'PARTIALLY_REFUNDED'] as const satisfies readonly OrderStatus[];

export function isFulfilledStatus(status: string): boolean {
  return (FULFILLED_STATUSES as readonly string[]).includes(status);
}

export function isRefundableStatus(status: string): boolean {
  return (REFUNDABLE_STATUSES as readonly string[]).includes(status);
}
