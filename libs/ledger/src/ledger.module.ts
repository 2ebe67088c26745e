import { Module } from '@nestjs/common';
import { LedgerAccountService } from './accounts/ledger-account.service';
import { LedgerClosingService } from './closing/ledger-closing.service';
import { JournalWriter } from './journal/journal-writer';
import { LedgerJobs } from './ledger-jobs';
import { LedgerService } from './ledger.service';

/**
 * The ledger's services. It registers no TypeORM entities: every read and write
 * of its tables is SQL in these services (postings are appended in batches and
 * checked by triggers, which an entity's save would only get in the way of).
 */
@Module({
  providers: [LedgerAccountService, JournalWriter, LedgerService, LedgerClosingService, LedgerJobs],
  exports: [LedgerService, LedgerClosingService, LedgerAccountService, LedgerJobs],
})
export class LedgerModule {}
