/**
 * The tables routing owns: orders, offers, order events, capacity counters, routing policies and the offers whose explanation is still to be written. Only this library's
 * code names them: others read through what it exports (tools/ownership/ownership.spec.ts checks
 * it).
 */
export const OWNED_TABLES: readonly string[] = ['orders', 'offers', 'order_events', 'capacity_usage', 'routing_policies', 'routing_explanations'];

/**
 * The public read model: views over the tables above (orders' parties, category, status and times; offers' supplier, status and time), migrated by
 * libs/persistence/src/migrations/1796200000001-public-read-models.ts and documented in
 * libs/routing/README.md. Any library may read them; none but this one may write them.
 */
export const PUBLIC_VIEWS: readonly string[] = ['order_facts', 'offer_facts'];
