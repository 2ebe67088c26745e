import { MigrationClass } from './migration-class';
import { FeedbackDisputesRefunds1797200000000 } from './1797200000000-feedback-disputes-refunds';
import { FeedbackCreated1797610000000 } from './1797610000000-feedback-created';

/** Migrations of issue 18 (feedback-disputes-refunds), appended here in timestamp order; index.ts merges every list. */
export const DISPUTES_MIGRATIONS: MigrationClass[] = [FeedbackDisputesRefunds1797200000000, FeedbackCreated1797610000000];
