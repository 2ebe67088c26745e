/**
 * The tables network owns: networks, members and what is recorded of them. Only this library's
 * code names them: others read through what it exports (tools/ownership/ownership.spec.ts checks
 * it).
 */
export const OWNED_TABLES: readonly string[] = ['networks', 'members', 'fee_term_changes', 'vetting_events', 'capabilities'];
