/** One line of an entry: a signed amount (debit positive, credit negative) on one account. */
export interface PostingLine {
  accountCode: string;
  /** The owning member, for member accounts (recorded when the account is created). */
  memberId?: string | null;
  amount: bigint;
  /** What the amount is: PURCHASE, CLIENT_FEE, EARNED, ... (CLOSE is reserved). */
  line: string;
}

export interface PostInput {
  networkId: string;
  currency: string;
  /** Unique across the ledger: a second post with this key posts nothing and returns the first entry. */
  idempotencyKey: string;
  kind: string;
  orderId?: string | null;
  statementId?: string | null;
  lines: readonly PostingLine[];
}

export interface JournalEntry {
  id: string;
  networkId: string;
  currency: string;
  idempotencyKey: string;
  kind: string;
  orderId: string | null;
  statementId: string | null;
  createdAt: Date;
}

export interface PostedLine {
  postingId: string;
  accountId: string;
  accountCode: string;
  memberId: string | null;
  amount: bigint;
  line: string;
  orderId: string | null;
}

export interface PostResult {
  entry: JournalEntry;
  /** False when the key was already posted: nothing new was written. */
  created: boolean;
  postings: PostedLine[];
}

/** A posting on a member's open position (after its account's latest CLOSE). */
export interface OpenPosting extends PostedLine {
  currency: string;
  entryId: string;
  entryKind: string;
  createdAt: Date;
}

/** Open postings of one member account summed by line and entry kind. */
export interface OpenActivity {
  accountId: string;
  accountCode: string;
  memberId: string;
  currency: string;
  line: string;
  entryKind: string;
  amount: bigint;
  /** Distinct orders among these postings. */
  orders: number;
  postings: number;
}

export interface AccountBalance {
  accountId: string;
  code: string;
  memberId: string | null;
  balance: bigint;
}

export interface TrialBalance {
  currency: string;
  /** Sum of the accounts with a debit balance. */
  debits: bigint;
  /** Sum of the accounts with a credit balance, as a positive amount. */
  credits: bigint;
  balanced: boolean;
}
