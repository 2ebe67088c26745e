/**
 * The tables health owns: snapshots, at-risk events, the network stats cache, settings and the
 * relationships list with its refresh mark. Only this
 * library's code names them: others read through what it exports
 * (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = [
  'health_snapshots',
  'health_events',
  'health_network_stats',
  'health_settings',
  'health_relationships',
  'health_relationships_mark',
];
