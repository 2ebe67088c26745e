/**
 * The tables the ledger owns: accounts, journal entries and postings. Only this library's code
 * names them: others read through what it exports (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = ['ledger_accounts', 'journal_entries', 'postings'];
