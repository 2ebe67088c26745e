/**
 * The tables routing owns: orders, offers, order events and capacity counters. Only this library's
 * code names them: others read through what it exports (tools/ownership/ownership.spec.ts checks
 * it).
 */
export const OWNED_TABLES: readonly string[] = ['orders', 'offers', 'order_events', 'capacity_usage'];
