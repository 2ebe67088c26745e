/**
 * The tables settlement owns: settlement runs, statements, parked postings and schedules. Only this library's code names them:
 * others read through what it exports (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = [
  'settlement_runs',
  'statements',
  'statement_postings',
  'parked_postings',
  'settlement_schedules',
  'order_fees',
  'order_refunds',
];

/**
 * The public read model: views over the tables above (the frozen fee breakdown of each accepted order, shares summed per side), migrated by
 * libs/persistence/src/migrations/1796200000001-public-read-models.ts and documented in
 * libs/settlement/README.md. Any library may read them; none but this one may write them.
 */
export const PUBLIC_VIEWS: readonly string[] = ['order_fee_facts', 'order_refund_facts'];
