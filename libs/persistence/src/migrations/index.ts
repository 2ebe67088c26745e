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

/** Every migration, in order. Listed explicitly because bundlers break glob paths. */
export const MIGRATIONS = [
  InitialSchema1764000000000, LedgerCloseIndex1795366721496, RoutingSweepIndex1795366908831, RelationshipHealth1795367201484, LedgerBalanceCache1795367563545,
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
