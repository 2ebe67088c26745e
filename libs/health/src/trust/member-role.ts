/**
 * What the trust equation knows of a member's standing. Its own leaf so that
 * fee-increases.ts and health-measures.ts, which both need it, do not import
 * each other.
 */
export type MemberRole = 'CLIENT' | 'SUPPLIER' | 'PARTNER';
export type MemberVetting = 'APPLIED' | 'UNDER_REVIEW' | 'VETTED' | 'SUSPENDED' | 'REVOKED';
