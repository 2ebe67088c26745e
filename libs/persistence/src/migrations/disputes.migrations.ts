import { MigrationClass } from './migration-class';
import { FeedbackDisputesRefunds1797200000000 } from './1797200000000-feedback-disputes-refunds';

/** Migrations of issue 18 (feedback-disputes-refunds), appended here in timestamp order; index.ts merges every list. */
export const DISPUTES_MIGRATIONS: MigrationClass[] = [FeedbackDisputesRefunds1797200000000];
