export * from './accounts/chart-of-accounts';
export * from './accounts/ledger-account.entity';
export { LedgerAccountService, type AccountSpec, type AccountRef } from './accounts/ledger-account.service';
export * from './journal/journal-entry.entity';
export * from './journal/posting.entity';
export * from './closing/ledger-closing.service';
export * from './ledger.types';
export * from './ledger.service';
export * from './ledger.module';
