/**
 * Where a supplier stands in vetting; only a VETTED supplier is routed orders.
 * Network records it, health's trust equation weighs it; the GraphQL enum
 * VettingStatus is registered from this list (libs/network/src/member/member.object.ts).
 */
export const VETTING_STATUSES = ['APPLIED', 'UNDER_REVIEW', 'VETTED', 'SUSPENDED', 'REVOKED'] as const;
export type VettingStatus = (typeof VETTING_STATUSES)[number];
