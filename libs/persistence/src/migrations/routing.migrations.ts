import { MigrationClass } from './migration-class';

/** Migrations of issue 14 (routing-fast-path), appended here in timestamp order; index.ts merges every list. */
export const ROUTING_MIGRATIONS: MigrationClass[] = [];
