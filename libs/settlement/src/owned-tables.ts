/**
 * The tables settlement owns: settlement runs, statements and parked postings. Only this library's code names them:
 * others read through what it exports (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = ['settlement_runs', 'statements', 'statement_postings', 'parked_postings'];
