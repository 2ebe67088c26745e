import type { FeeIncrease } from './fee-increases';
import type { MemberRole, MemberVetting } from './member-role';

/**
 * Everything the platform recorded about one member over the trailing window,
 * gathered by HealthMeasuresService. The trust equation is a pure function of it.
 * Money is bigint minor units of the network's currency, posted in the window,
 * net of refunds, with the ledger's signs turned into plain amounts.
 */
export interface HealthMeasures {
  windowDays: number;
  roles: readonly MemberRole[];
  /** Null unless the member holds the SUPPLIER role. */
  vettingStatus: MemberVetting | null;
  /** Whole days since joinedAt. */
  tenureDays: number;
  /** Moves to SUSPENDED or REVOKED in the window. */
  vettingSetbacks: number;
  /** Offers made to it in the window, by their status now. */
  offers: { accepted: number; declined: number; expired: number; open: number; withdrawn: number };
  supplier: {
    /** Orders it fulfilled in the window (refunded since included). */
    fulfilled: number;
    /** ... of which by their deliverBy. */
    onTime: number;
    /** Orders it accepted in the window that are past deliverBy and still not fulfilled. */
    overdue: number;
    /** Of the fulfilled ones, refunded since. */
    refunded: number;
  };
  client: { placed: number; cancelled: number };
  /** 7-day periods, counted back from now, with an order placed or accepted or a share earned. */
  activeWeeks: number;
  /** Distinct categories of its capabilities and of its orders in the window. */
  categories: number;
  money: {
    purchases: bigint;
    clientFees: bigint;
    earned: bigint;
    supplierFees: bigint;
    sharesEarned: bigint;
    /** Partner shares paid out of the fees this member paid (to whoever referred it). */
    sharesOnMemberFees: bigint;
    /** How many postings on its accounts in the window (any activity counts). */
    postings: number;
  };
  /** The hub's average take in the network, as a fraction of the price, per side. */
  takeNorm: { client: number; supplier: number; source: 'NETWORK' | 'SCHEDULE' };
  feeIncreases: readonly FeeIncrease[];
  /** The category where this member holds the largest share of the window's business. */
  topCategory: { category: string; share: number; role: 'CLIENT' | 'SUPPLIER' } | null;
  /** Ratings (1 to 5) the other side of its orders gave this member in the window (feedback about it). */
  ratingsReceived: { count: number; sum: number };
  /** Ratings this member gave the hub in the window; latest: its newest (at most 3), newest first, one per order. */
  ratingsOfHub: { count: number; sum: number; latest: number[] };
  /** Disputes opened in the window on orders where it is the client or the supplier. */
  disputes: number;
}

/** Measures of a member with nothing recorded; handy for tests and as a base. */
export function emptyMeasures(over: Partial<HealthMeasures> = {}): HealthMeasures {
  return {
    windowDays: 90,
    roles: ['CLIENT'],
    vettingStatus: null,
    tenureDays: 0,
    vettingSetbacks: 0,
    offers: { accepted: 0, declined: 0, expired: 0, open: 0, withdrawn: 0 },
    supplier: { fulfilled: 0, onTime: 0, overdue: 0, refunded: 0 },
    client: { placed: 0, cancelled: 0 },
    activeWeeks: 0,
    categories: 0,
    money: { purchases: 0n, clientFees: 0n, earned: 0n, supplierFees: 0n, sharesEarned: 0n, sharesOnMemberFees: 0n, postings: 0 },
    takeNorm: { client: 0.1, supplier: 0.05, source: 'SCHEDULE' },
    feeIncreases: [],
    topCategory: null,
    ratingsReceived: { count: 0, sum: 0 },
    ratingsOfHub: { count: 0, sum: 0, latest: [] },
    disputes: 0,
    ...over,
  };
}
