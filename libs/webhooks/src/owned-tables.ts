/**
 * The tables webhooks owns. Only this library's code names them: others read
 * through what it exports (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = ['webhook_endpoints', 'webhook_deliveries'];
