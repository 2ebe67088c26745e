/**
 * Where an order stands. Routing moves it; settlement and health read it (health
 * may not import routing, so the list lives here). The GraphQL enum OrderStatus
 * is registered from this list (libs/routing/src/order/order.object.ts).
 */
export const ORDER_STATUSES = ['ROUTING', 'OFFERED', 'ACCEPTED', 'FULFILLED', 'CANCELLED', 'UNROUTABLE', 'REFUNDED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
