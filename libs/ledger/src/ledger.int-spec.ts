import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { PersistenceModule, TransactionRunner } from '@tandem/persistence';
import { createTestDatabase } from '@tandem/testing';
import { HUB_ACCOUNTS, payableAccount, receivableAccount, settlementAccount } from './accounts/chart-of-accounts';
import { LedgerClosingService } from './closing/ledger-closing.service';
import { LedgerModule } from './ledger.module';
import { LedgerService } from './ledger.service';
import { PostInput } from './ledger.types';

describe('ledger (PostgreSQL)', () => {
  let drop: () => Promise<void>;
  let close: () => Promise<void>;
  let ds: DataSource;
  let ledger: LedgerService;
  let closing: LedgerClosingService;
  let tx: TransactionRunner;

  beforeAll(async () => {
    const db = await createTestDatabase('ledger');
    drop = db.drop;
    const mod = await Test.createTestingModule({ imports: [PersistenceModule.forRoot({ url: db.url }), LedgerModule] }).compile();
    const app = await mod.init();
    close = () => app.close();
    ds = mod.get(DataSource);
    ledger = mod.get(LedgerService);
    closing = mod.get(LedgerClosingService);
    tx = mod.get(TransactionRunner);
  });
  afterAll(async () => {
    await close();
    await drop();
  });

  /** A sale of 100.00 with a 10.00 fee: client owes 110.00, supplier is owed 100.00, hub earns 10.00. */
  const sale = (networkId: string, key: string, client: string, supplier: string): PostInput => ({
    networkId,
    currency: 'usd',
    idempotencyKey: key,
    kind: 'TEST_SALE',
    lines: [
      { accountCode: receivableAccount(client), memberId: client, amount: 10000n, line: 'PURCHASE' },
      { accountCode: receivableAccount(client), memberId: client, amount: 1000n, line: 'CLIENT_FEE' },
      { accountCode: payableAccount(supplier), memberId: supplier, amount: -10000n, line: 'EARNED' },
      { accountCode: HUB_ACCOUNTS.feeRevenue, amount: -1000n, line: 'FEES' },
    ],
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await ds.query(sql, params))[0].n);

  it('posts a balanced entry, creating the accounts, and derives balances from postings', async () => {
    const [n, c, s] = [randomUUID(), randomUUID(), randomUUID()];
    const r = await tx.run((em) => ledger.post(em, sale(n, `k:${n}`, c, s)));
    expect(r.created).toBe(true);
    expect(r.entry).toMatchObject({ networkId: n, currency: 'USD', kind: 'TEST_SALE' });
    expect(r.postings.map((p) => [p.accountCode, p.amount, p.line])).toEqual([
      [receivableAccount(c), 10000n, 'PURCHASE'],
      [receivableAccount(c), 1000n, 'CLIENT_FEE'],
      [payableAccount(s), -10000n, 'EARNED'],
      [HUB_ACCOUNTS.feeRevenue, -1000n, 'FEES'],
    ]);
    const b = await ledger.balances(n, 'USD', [receivableAccount(c), payableAccount(s), HUB_ACCOUNTS.feeRevenue, HUB_ACCOUNTS.cash]);
    expect([...b.entries()]).toEqual([
      [receivableAccount(c), 11000n],
      [payableAccount(s), -10000n],
      [HUB_ACCOUNTS.feeRevenue, -1000n],
      [HUB_ACCOUNTS.cash, 0n],
    ]);
    const owners = await ds.query(`SELECT code, member_id FROM ledger_accounts WHERE network_id = $1 ORDER BY code`, [n]);
    expect(owners).toEqual(
      [
        { code: HUB_ACCOUNTS.feeRevenue, member_id: null },
        { code: receivableAccount(c), member_id: c },
        { code: payableAccount(s), member_id: s },
      ].sort((a, b) => a.code.localeCompare(b.code)),
    );
    expect(await ledger.trialBalance(n, 'usd')).toEqual({ currency: 'USD', debits: 11000n, credits: 11000n, balanced: true });
    expect(await ledger.verify(n)).toEqual([]);
  });

  it('tells what each entry moved per line, by idempotency key, and nothing for a key never posted', async () => {
    const [n, c, s] = [randomUUID(), randomUUID(), randomUUID()];
    await tx.run(async (em) => {
      await ledger.post(em, sale(n, `a:${n}`, c, s));
      await ledger.post(em, { ...sale(n, `b:${n}`, c, s), lines: sale(n, '', c, s).lines.map((l) => ({ ...l, amount: -l.amount })) });
    });
    const totals = await ledger.entryLineTotals([`a:${n}`, `b:${n}`, `missing:${n}`]);
    expect([...totals.keys()].sort()).toEqual([`a:${n}`, `b:${n}`]);
    expect(Object.fromEntries(totals.get(`a:${n}`) ?? [])).toEqual({ PURCHASE: 10000n, CLIENT_FEE: 1000n, EARNED: -10000n, FEES: -1000n });
    expect(Object.fromEntries(totals.get(`b:${n}`) ?? [])).toEqual({ PURCHASE: -10000n, CLIENT_FEE: -1000n, EARNED: 10000n, FEES: 1000n });
    expect((await ledger.entryLineTotals([])).size).toBe(0);
  });

  it('posts once per idempotency key, also when two transactions race', async () => {
    const [n, c, s] = [randomUUID(), randomUUID(), randomUUID()];
    const key = `k:${n}`;
    const first = await tx.run((em) => ledger.post(em, sale(n, key, c, s)));
    const again = await tx.run((em) => ledger.post(em, sale(n, key, c, s)));
    expect(again.created).toBe(false);
    expect(again.entry.id).toBe(first.entry.id);
    expect(again.postings.map((p) => p.postingId)).toEqual(first.postings.map((p) => p.postingId));

    const raced = await Promise.all(Array.from({ length: 6 }, () => tx.run((em) => ledger.post(em, sale(n, `${key}:race`, c, s)))));
    expect(raced.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(raced.map((r) => r.entry.id)).size).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM journal_entries WHERE network_id = $1`, [n])).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.network_id = $1`, [n])).toBe(8);
    expect((await ledger.balances(n, 'USD', [receivableAccount(c)])).get(receivableAccount(c))).toBe(22000n);
  });

  it('creates a contended account once', async () => {
    const n = randomUUID();
    const members = Array.from({ length: 8 }, () => randomUUID());
    await Promise.all(
      members.map((m, i) =>
        tx.run((em) =>
          ledger.post(em, {
            networkId: n,
            currency: 'EUR',
            idempotencyKey: `c:${n}:${i}`,
            kind: 'T',
            lines: [
              { accountCode: HUB_ACCOUNTS.cash, amount: 5n, line: 'X' },
              { accountCode: payableAccount(m), memberId: m, amount: -5n, line: 'X' },
            ],
          }),
        ),
      ),
    );
    expect(await count(`SELECT count(*) AS n FROM ledger_accounts WHERE network_id = $1 AND code = $2`, [n, HUB_ACCOUNTS.cash])).toBe(1);
    expect((await ledger.balances(n, 'EUR', [HUB_ACCOUNTS.cash])).get(HUB_ACCOUNTS.cash)).toBe(40n);
  });

  it('refuses an unbalanced entry in code before writing anything', async () => {
    const n = randomUUID();
    await expect(
      tx.run((em) =>
        ledger.post(em, {
          networkId: n,
          currency: 'USD',
          idempotencyKey: `u:${n}`,
          kind: 'T',
          lines: [
            { accountCode: HUB_ACCOUNTS.cash, amount: 100n, line: 'X' },
            { accountCode: HUB_ACCOUNTS.feeRevenue, amount: -99n, line: 'X' },
          ],
        }),
      ),
    ).rejects.toThrow('does not balance (off by 1)');
    expect(await count(`SELECT count(*) AS n FROM journal_entries WHERE network_id = $1`, [n])).toBe(0);
  });

  it('refuses CLOSE lines outside a closing', async () => {
    const n = randomUUID();
    await expect(
      tx.run((em) =>
        ledger.post(em, {
          networkId: n,
          currency: 'USD',
          idempotencyKey: `cl:${n}`,
          kind: 'T',
          lines: [
            { accountCode: HUB_ACCOUNTS.cash, amount: 1n, line: 'CLOSE' },
            { accountCode: HUB_ACCOUNTS.feeRevenue, amount: -1n, line: 'X' },
          ],
        }),
      ),
    ).rejects.toThrow('CLOSE postings');
  });

  describe('enforced by the database', () => {
    let n: string;
    let entryId: string;
    let accountIds: string[];
    beforeAll(async () => {
      n = randomUUID();
      const r = await tx.run((em) => ledger.post(em, sale(n, `db:${n}`, randomUUID(), randomUUID())));
      entryId = r.entry.id;
      accountIds = r.postings.map((p) => p.accountId);
    });

    it('refuses UPDATE and DELETE of postings and entries', async () => {
      await expect(ds.query(`UPDATE postings SET amount_minor = 0 WHERE entry_id = $1`, [entryId])).rejects.toThrow(/append-only: UPDATE on postings/);
      await expect(ds.query(`DELETE FROM postings WHERE entry_id = $1`, [entryId])).rejects.toThrow(/append-only: DELETE on postings/);
      await expect(ds.query(`UPDATE journal_entries SET kind = 'X' WHERE id = $1`, [entryId])).rejects.toThrow(/append-only: UPDATE on journal_entries/);
      await expect(ds.query(`TRUNCATE postings CASCADE`)).rejects.toThrow(/append-only/);
      expect(await count(`SELECT count(*) AS n FROM postings WHERE entry_id = $1 AND amount_minor <> 0`, [entryId])).toBe(4);
    });

    it('refuses postings (raw SQL) that do not sum to zero, so they can never be committed', async () => {
      const qr = ds.createQueryRunner();
      await qr.connect();
      try {
        await qr.startTransaction();
        const [e] = await qr.query(`INSERT INTO journal_entries (network_id, currency, idempotency_key, kind) VALUES ($1, 'USD', $2, 'RAW') RETURNING id`, [
          n,
          `raw:${n}`,
        ]);
        // Checked when the statement ends: the insert fails, and nothing can be committed.
        await expect(
          qr.query(`INSERT INTO postings (entry_id, account_id, amount_minor, line) VALUES ($1, $2, 500, 'X'), ($1, $3, -499, 'X')`, [
            e.id,
            accountIds[0],
            accountIds[2],
          ]),
        ).rejects.toThrow(/does not balance \(off by 1\)/);
        // The transaction is aborted: PostgreSQL answers COMMIT with a rollback.
        await qr.commitTransaction();
      } finally {
        if (qr.isTransactionActive) await qr.rollbackTransaction();
        await qr.release();
      }
      expect(await count(`SELECT count(*) AS n FROM journal_entries WHERE idempotency_key = $1`, [`raw:${n}`])).toBe(0);
    });

    it('refuses to commit an entry that mixes currencies', async () => {
      const [eur] = await ds.query(`INSERT INTO ledger_accounts (network_id, currency, code) VALUES ($1, 'EUR', 'hub:cash') RETURNING id`, [n]);
      await expect(
        ds.transaction(async (em) => {
          const [e] = await em.query(`INSERT INTO journal_entries (network_id, currency, idempotency_key, kind) VALUES ($1, 'USD', $2, 'RAW') RETURNING id`, [
            n,
            `mix:${n}`,
          ]);
          await em.query(`INSERT INTO postings (entry_id, account_id, amount_minor, line) VALUES ($1, $2, 7, 'X'), ($1, $3, -7, 'X')`, [
            e.id,
            accountIds[0],
            eur.id,
          ]);
        }),
      ).rejects.toThrow(/mixes currencies/);
    });
  });

  describe('cached balances', () => {
    it('follow postings from any writer (the trigger), and verify() notices a tampered cache', async () => {
      const [n, c, s] = [randomUUID(), randomUUID(), randomUUID()];
      const r = await tx.run((em) => ledger.post(em, sale(n, `cache:${n}`, c, s)));
      const [recId, , payId] = r.postings.map((p) => p.accountId);
      // A writer that bypasses LedgerService (a migration, a data fix) keeps the cache right too.
      await ds.transaction(async (em) => {
        const [e] = await em.query(`INSERT INTO journal_entries (network_id, currency, idempotency_key, kind) VALUES ($1, 'USD', $2, 'RAW') RETURNING id`, [
          n,
          `cache-raw:${n}`,
        ]);
        await em.query(`INSERT INTO postings (entry_id, account_id, amount_minor, line) VALUES ($1, $2, 250, 'X'), ($1, $3, -250, 'X')`, [e.id, recId, payId]);
      });
      const b = await ledger.balances(n, 'USD', [receivableAccount(c), payableAccount(s)]);
      expect([b.get(receivableAccount(c)), b.get(payableAccount(s))]).toEqual([11250n, -10250n]);
      expect(await ledger.verify(n)).toEqual([]);

      await ds.query(`UPDATE ledger_accounts SET balance_minor = balance_minor + 1 WHERE id = $1`, [recId]);
      expect(await ledger.verify(n)).toEqual([
        `USD ${receivableAccount(c)}: cached balance 11251, postings sum to 11250`,
        'USD: trial balance debits 11251 != credits 11250',
        'USD: account balances sum to 1',
      ]);
      await ds.query(`UPDATE ledger_accounts SET balance_minor = balance_minor - 1 WHERE id = $1`, [recId]);
    });

    it('stay exact under many concurrent postings to shared accounts', async () => {
      const n = randomUUID();
      const clients = [randomUUID(), randomUUID(), randomUUID()];
      const s = randomUUID();
      await Promise.all(Array.from({ length: 30 }, (_, i) => tx.run((em) => ledger.post(em, sale(n, `conc:${n}:${i}`, clients[i % 3], s)))));
      const b = await ledger.balances(n, 'USD', [...clients.map(receivableAccount), payableAccount(s), HUB_ACCOUNTS.feeRevenue]);
      expect([...b.values()]).toEqual([110000n, 110000n, 110000n, -300000n, -30000n]);
      expect(await ledger.verify(n)).toEqual([]);
    });
  });

  describe('closing', () => {
    it('brings member accounts to zero into the settlement account; later postings form the new open balance', async () => {
      const [n, c, s] = [randomUUID(), randomUUID(), randomUUID()];
      await tx.run((em) => ledger.post(em, sale(n, `s1:${n}`, c, s)));
      const open = await tx.run((em) => closing.openPostings(em, n));
      expect(open.map((p) => [p.accountCode, p.amount, p.line, p.entryKind])).toEqual([
        [receivableAccount(c), 10000n, 'PURCHASE', 'TEST_SALE'],
        [receivableAccount(c), 1000n, 'CLIENT_FEE', 'TEST_SALE'],
        [payableAccount(s), -10000n, 'EARNED', 'TEST_SALE'],
      ]);
      const closed = await tx.run((em) =>
        closing.closeAccounts(em, {
          networkId: n,
          currency: 'USD',
          idempotencyKey: `close:${n}:c`,
          kind: 'STATEMENT_CLOSE',
          accounts: [
            { code: receivableAccount(c), memberId: c },
            { code: payableAccount(c), memberId: c },
          ],
          into: { code: settlementAccount(c), memberId: c },
          intoLine: 'STATEMENT',
        }),
      );
      // The client has no payable account: only the receivable is closed.
      expect(closed.postings.map((p) => [p.accountCode, p.amount, p.line])).toEqual([
        [receivableAccount(c), -11000n, 'CLOSE'],
        [settlementAccount(c), 11000n, 'STATEMENT'],
      ]);
      await tx.run((em) => ledger.post(em, sale(n, `s2:${n}`, c, s)));
      const b = await ledger.balances(n, 'USD', [receivableAccount(c), payableAccount(s), settlementAccount(c)]);
      expect(b.get(receivableAccount(c))).toBe(11000n);
      expect(b.get(payableAccount(s))).toBe(-20000n);
      expect(b.get(settlementAccount(c))).toBe(11000n);
      const openAfter = await tx.run((em) => closing.openPostings(em, n));
      expect(openAfter.filter((p) => p.memberId === c).map((p) => p.amount)).toEqual([10000n, 1000n]);
      expect(openAfter.filter((p) => p.memberId === s)).toHaveLength(2);
      expect(await ledger.verify(n)).toEqual([]);
    });

    it('waits for a posting in flight, so a CLOSE never leaves a posting behind it', async () => {
      const [n, c, s] = [randomUUID(), randomUUID(), randomUUID()];
      await tx.run((em) => ledger.post(em, sale(n, `w0:${n}`, c, s)));
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let posted!: () => void;
      const postedInFlight = new Promise<void>((r) => (posted = r));
      const posting = tx.run(async (em) => {
        await ledger.post(em, sale(n, `w1:${n}`, c, s));
        posted();
        await held; // the posting's transaction stays open
      });
      await postedInFlight;
      let closedAt = 0;
      const closingDone = tx
        .run((em) =>
          closing.closeAccounts(em, {
            networkId: n,
            currency: 'USD',
            idempotencyKey: `wclose:${n}`,
            kind: 'STATEMENT_CLOSE',
            accounts: [{ code: receivableAccount(c), memberId: c }],
            into: { code: settlementAccount(c), memberId: c },
            intoLine: 'STATEMENT',
          }),
        )
        .then((r) => {
          closedAt = Date.now();
          return r;
        });
      await new Promise((r) => setTimeout(r, 300));
      expect(closedAt).toBe(0); // blocked behind the posting
      release();
      await posting;
      const closed = await closingDone;
      expect(closed.postings[0].amount).toBe(-22000n); // both sales, including the one that was in flight
      expect((await ledger.balances(n, 'USD', [receivableAccount(c)])).get(receivableAccount(c))).toBe(0n);
      expect(await ledger.verify(n)).toEqual([]);
    });
  });
});
