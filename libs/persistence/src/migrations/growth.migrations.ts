import { MigrationClass } from './migration-class';

/** Migrations of issue 15 (scale-out), appended here in timestamp order; index.ts merges every list. */
export const GROWTH_MIGRATIONS: MigrationClass[] = [];
