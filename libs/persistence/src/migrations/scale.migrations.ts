import { MigrationClass } from './migration-class';

/** Migrations of issue 14 (relationships-and-pages), appended here in timestamp order; index.ts merges every list. */
export const SCALE_MIGRATIONS: MigrationClass[] = [];
