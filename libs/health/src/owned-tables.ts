/**
 * The tables health owns: snapshots, at-risk events, the network stats cache and settings. Only this
 * library's code names them: others read through what it exports
 * (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = ['health_snapshots', 'health_events', 'health_network_stats', 'health_settings'];
