import { MigrationClass } from './migration-class';
import { CapabilitiesPriceIndex1797000000000 } from './1797000000000-capabilities-price-index';
import { RoutingExplanations1797000000001 } from './1797000000001-routing-explanations';
import { ExplanationScanIndexes1797850000000 } from './1797850000000-explanation-scan-indexes';
import { RoutingCountIndexes1797860000000 } from './1797860000000-routing-count-indexes';

/** Migrations of issue 14 (routing-fast-path), appended here in timestamp order; index.ts merges every list. */
export const ROUTING_MIGRATIONS: MigrationClass[] = [
  CapabilitiesPriceIndex1797000000000,
  RoutingExplanations1797000000001,
  ExplanationScanIndexes1797850000000,
  RoutingCountIndexes1797860000000,
];
