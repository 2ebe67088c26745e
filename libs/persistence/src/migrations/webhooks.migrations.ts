import { MigrationClass } from './migration-class';
import { Webhooks1797300000000 } from './1797300000000-webhooks';

/** Migrations of issue 17 (webhooks), appended here in timestamp order; index.ts merges every list. */
export const WEBHOOKS_MIGRATIONS: MigrationClass[] = [Webhooks1797300000000];
