/**
 * The tables the ledger owns: accounts, journal entries and postings. Only this library's code
 * names them: others read through what it exports (tools/ownership/ownership.spec.ts checks it).
 */
export const OWNED_TABLES: readonly string[] = ['ledger_accounts', 'journal_entries', 'postings', 'journal_entry_keys'];

/**
 * The public read model: views over the tables above (members' accounts, and their postings with the account's member, network and currency), migrated by
 * libs/persistence/src/migrations/1796200000001-public-read-models.ts, and the journal entries by idempotency key
 * (libs/persistence/src/migrations/1796400000311-settlement-read-columns.ts); documented in
 * libs/ledger/README.md. Any library may read them; none but this one may write them.
 */
export const PUBLIC_VIEWS: readonly string[] = ['member_accounts', 'member_postings', 'ledger_entries'];
