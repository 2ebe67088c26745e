import { MigrationClass } from './migration-class';

/** Migrations of issue 14 (performance), appended here in timestamp order; index.ts merges every list. */
export const PERF_MIGRATIONS: MigrationClass[] = [];
