import { MigrationClass } from './migration-class';
import { MemberNameSearch1797600000000 } from './1797600000000-member-name-search';

/** Migrations of issue 19 (the portal at 1,000 members), appended here in timestamp order; index.ts merges every list. */
export const COMMUNITY_MIGRATIONS: MigrationClass[] = [MemberNameSearch1797600000000];
