/**
 * The table jobs owns: the transactional outbox. (BullMQ's PostgreSQL backend keeps its own tables
 * in its own schema, bullmq, and migrates them itself.) Only this library's code names them:
 * others read through what it exports (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = ['outbox'];
