import { MigrationClass } from './migration-class';
import { RelationshipsList1797100000000 } from './1797100000000-relationships-list';

/** Migrations of issue 14 (relationships-and-pages), appended here in timestamp order; index.ts merges every list. */
export const SCALE_MIGRATIONS: MigrationClass[] = [RelationshipsList1797100000000];
