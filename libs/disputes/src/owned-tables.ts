/**
 * The tables disputes owns (feedback and disputes). Only this library's code names them: others read
 * through what it exports (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = ['feedback', 'disputes'];

/**
 * The public read model: views over the tables above, migrated by
 * libs/persistence/src/migrations/1797200000000-feedback-disputes-refunds.ts and documented in
 * libs/disputes/README.md (health reads ratings and disputes through them).
 */
export const PUBLIC_VIEWS: readonly string[] = ['feedback_facts', 'dispute_facts'];
