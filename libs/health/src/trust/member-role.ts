/**
 * What the trust equation knows of a member's standing, under the names it
 * speaks of them; both concepts are declared once, in libs/common (roles.ts,
 * vetting-status.ts). Its own leaf so that fee-increases.ts and
 * health-measures.ts, which both need it, do not import each other.
 */
export type { Role as MemberRole, VettingStatus as MemberVetting } from '@tandem/common';
