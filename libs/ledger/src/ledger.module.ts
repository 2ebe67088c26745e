import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerAccountEntity } from './accounts/ledger-account.entity';
import { LedgerAccountService } from './accounts/ledger-account.service';
import { LedgerClosingService } from './closing/ledger-closing.service';
import { JournalEntryEntity } from './journal/journal-entry.entity';
import { JournalWriter } from './journal/journal-writer';
import { PostingEntity } from './journal/posting.entity';
import { LedgerService } from './ledger.service';

@Module({
  imports: [TypeOrmModule.forFeature([LedgerAccountEntity, JournalEntryEntity, PostingEntity])],
  providers: [LedgerAccountService, JournalWriter, LedgerService, LedgerClosingService],
  exports: [LedgerService, LedgerClosingService, LedgerAccountService],
})
export class LedgerModule {}
