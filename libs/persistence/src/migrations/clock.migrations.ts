import { MigrationClass } from './migration-class';
import { SimulatedClock1797700000000 } from './1797700000000-simulated-clock';

/** Migrations of the clock port (issue 19, the simulated quarter), in timestamp order; index.ts merges every list. */
export const CLOCK_MIGRATIONS: MigrationClass[] = [SimulatedClock1797700000000];
