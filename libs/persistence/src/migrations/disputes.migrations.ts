import { MigrationClass } from './migration-class';

/** Migrations of issue 18 (feedback-disputes-refunds), appended here in timestamp order; index.ts merges every list. */
export const DISPUTES_MIGRATIONS: MigrationClass[] = [];
