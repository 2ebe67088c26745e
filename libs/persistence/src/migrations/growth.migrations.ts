import { MigrationClass } from './migration-class';
import { LedgerPartitions1797400000000 } from './1797400000000-ledger-partitions';

/** Migrations of issue 15 (scale-out), appended here in timestamp order; index.ts merges every list. */
export const GROWTH_MIGRATIONS: MigrationClass[] = [LedgerPartitions1797400000000];
