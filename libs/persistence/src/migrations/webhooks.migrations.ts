import { MigrationClass } from './migration-class';

/** Migrations of issue 17 (webhooks), appended here in timestamp order; index.ts merges every list. */
export const WEBHOOKS_MIGRATIONS: MigrationClass[] = [];
