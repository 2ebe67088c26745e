import { MigrationClass } from './migration-class';
import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { LedgerCloseIndex1795366721496 } from './1795366721496-ledger-close-index';
import { RoutingSweepIndex1795366908831 } from './1795366908831-routing-sweep-index';
import { RelationshipHealth1795367201484 } from './1795367201484-relationship-health';
import { LedgerBalanceCache1795367563545 } from './1795367563545-ledger-balance-cache';
import { LedgerBalanceCheckPerStatement1795372434927 } from './1795372434927-ledger-balance-check-per-statement';
import { LedgerCacheMemberAccounts1795370532560 } from './1795370532560-ledger-cache-member-accounts';
import { ParkedPostings1795391717171 } from './1795391717171-parked-postings';
import { OrderEventWriteTime1796164665117 } from './1796164665117-order-event-write-time';
import { OrderFees1796200000000 } from './1796200000000-order-fees';
import { PublicReadModels1796200000001 } from './1796200000001-public-read-models';
import { SettingsPerDomain1796300000000 } from './1796300000000-settings-per-domain';
import { DropNetworkSettingsColumns1796300000001 } from './1796300000001-drop-network-settings-columns';
import { NetworkRoutingReadColumns1796400000137 } from './1796400000137-network-routing-read-columns';
import { SettlementReadColumns1796400000311 } from './1796400000311-settlement-read-columns';

import { CLOCK_MIGRATIONS } from './clock.migrations';
import { COMMUNITY_MIGRATIONS } from './community.migrations';
import { DISPUTES_MIGRATIONS } from './disputes.migrations';
import { GROWTH_MIGRATIONS } from './growth.migrations';
import { PERF_MIGRATIONS } from './perf.migrations';
import { ROUTING_MIGRATIONS } from './routing.migrations';
import { SCALE_MIGRATIONS } from './scale.migrations';
import { WEBHOOKS_MIGRATIONS } from './webhooks.migrations';

const BASE_MIGRATIONS: MigrationClass[] = [
  InitialSchema1764000000000,
  LedgerCloseIndex1795366721496,
  RoutingSweepIndex1795366908831,
  RelationshipHealth1795367201484,
  LedgerBalanceCache1795367563545,
  LedgerCacheMemberAccounts1795370532560,
  LedgerBalanceCheckPerStatement1795372434927,
  ParkedPostings1795391717171,
  OrderEventWriteTime1796164665117,
  OrderFees1796200000000,
  PublicReadModels1796200000001,
  SettingsPerDomain1796300000000,
  DropNetworkSettingsColumns1796300000001,
  NetworkRoutingReadColumns1796400000137,
  SettlementReadColumns1796400000311,
];

/** The timestamp TypeORM orders migrations by: the digits ending the class name. */
function timestampOf(migration: MigrationClass): number {
  const digits = /(\d{13})$/.exec(migration.name);
  if (!digits) throw new Error(`migration ${migration.name} must end in a 13-digit timestamp`);
  return Number(digits[1]);
}

/**
 * Every migration, in timestamp order. Listed explicitly because bundlers break
 * glob paths; each feature keeps its own list (*.migrations.ts) so parallel work
 * never edits one array.
 */
export const MIGRATIONS: MigrationClass[] = [
  ...BASE_MIGRATIONS,
  ...SCALE_MIGRATIONS,
  ...ROUTING_MIGRATIONS,
  ...PERF_MIGRATIONS,
  ...DISPUTES_MIGRATIONS,
  ...WEBHOOKS_MIGRATIONS,
  ...GROWTH_MIGRATIONS,
  ...COMMUNITY_MIGRATIONS,
  ...CLOCK_MIGRATIONS,
].sort((a, b) => timestampOf(a) - timestampOf(b));
