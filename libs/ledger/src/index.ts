export * from './accounts/chart-of-accounts';
export { LedgerAccountService, type AccountSpec, type AccountRef } from './accounts/ledger-account.service';
export * from './journal/posting-lines';
export * from './closing/ledger-closing.service';
export * from './ledger.types';
export * from './ledger.service';
export * from './ledger.module';
export * from './ledger-jobs';
