import { MigrationClass } from './migration-class';
import { OutboxTraceContext1797500000000 } from './1797500000000-outbox-trace-context';
import { OutboxJobKey1797800000000 } from './1797800000000-outbox-job-key';

/** Migrations of issue 14 (performance), appended here in timestamp order; index.ts merges every list. */
export const PERF_MIGRATIONS: MigrationClass[] = [OutboxTraceContext1797500000000, OutboxJobKey1797800000000];
