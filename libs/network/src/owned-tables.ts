/**
 * The tables network owns: networks, members and what is recorded of them. Only this library's
 * code names them: others read through what it exports (tools/ownership/ownership.spec.ts checks
 * it).
 */
export const OWNED_TABLES: readonly string[] = ['networks', 'members', 'fee_term_changes', 'vetting_events', 'capabilities'];

/**
 * The public read model: views over the tables above (members, vetting history, capabilities' categories and fee-term history), migrated by
 * libs/persistence/src/migrations/1796200000001-public-read-models.ts (columns added by
 * 1796400000137-network-routing-read-columns.ts) and documented in
 * libs/network/README.md. Any library may read them; none but this one may write them.
 */
export const PUBLIC_VIEWS: readonly string[] = ['member_facts', 'vetting_facts', 'capability_facts', 'fee_term_facts'];
