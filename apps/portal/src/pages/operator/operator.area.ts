// The operator's pages, one chunk loaded after an operator key signs in (see ../lazy-pages.ts).
export { DisputesPage } from './disputes.page';
export { FeesPage } from './fees.page';
export { MemberPage } from './member.page';
export { MembersPage } from './members.page';
export { OverviewPage } from './overview.page';
export { RegisterMemberPage } from './register-member.page';
export { RelationshipsPage } from './relationships.page';
export { SettlementPage } from './settlement.page';
