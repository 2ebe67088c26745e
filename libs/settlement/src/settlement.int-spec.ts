import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { Caller } from '@tandem/auth';
import { TandemConfigModule } from '@tandem/common';
import { JobsModule, QUEUES, QueueRegistry } from '@tandem/jobs';
import { HUB_ACCOUNTS, LedgerService, payableAccount, receivableAccount, settlementAccount } from '@tandem/ledger';
import { PersistenceModule } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { BalanceService } from './balance/balance.service';
import { FulfilmentBatcher } from './posting/fulfilment-batcher';
import { LedgerConnectionGate } from './posting/ledger-connection-gate';
import { LOST_POSTING_MS, LedgerReconcileService } from './posting/ledger-reconcile.service';
import { ParkedPostingService } from './posting/parked-posting.service';
import { OrderPostingService } from './posting/order-posting.service';
import { SettlementScheduleService, settlementSchedulerId } from './schedule/settlement-schedule.service';
import { SettlementModule } from './settlement.module';
import { SettlementAuditService } from './statement/settlement-audit.service';
import { SettlementRunService } from './statement/settlement-run.service';
import { StatementEntity } from './statement/statement.entity';
import { StatementService } from './statement/statement.service';
import { OrderFixtures, fees, referrer } from './testing/order-fixtures';

/** The statement of one member in a list; fails the test when there is none. */
function ofMember(list: StatementEntity[], memberId: string): StatementEntity {
  const found = list.find((x) => x.memberId === memberId);
  if (!found) throw new Error(`no statement for member ${memberId}`);
  return found;
}

const operator = (networkId: string): Caller => ({ kind: 'OPERATOR', networkId, keyId: 'op' });
const asMember = (networkId: string, memberId: string): Caller => ({ kind: 'MEMBER', networkId, memberId, roles: ['CLIENT'], keyId: 'mk' });

describe('settlement (PostgreSQL + Redis)', () => {
  let app: INestApplicationContext;
  let drop: () => Promise<void>;
  let clear: () => Promise<void>;
  let ds: DataSource;
  let fx: OrderFixtures;
  let posting: OrderPostingService;
  let balances: BalanceService;
  let runs: SettlementRunService;
  let statements: StatementService;
  let ledger: LedgerService;
  let audit: SettlementAuditService;
  const networks: string[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('settlement');
    drop = db.drop;
    const config = testConfig(db.url);
    clear = () => clearQueues(config.redisUrl, config.queuePrefix);
    const mod = await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: db.url }), JobsModule.forRoot(config), SettlementModule],
    }).compile();
    app = await mod.init();
    ds = app.get(DataSource);
    fx = new OrderFixtures(ds);
    posting = app.get(OrderPostingService);
    balances = app.get(BalanceService);
    runs = app.get(SettlementRunService);
    statements = app.get(StatementService);
    ledger = app.get(LedgerService);
    audit = app.get(SettlementAuditService);
  });

  // After every scenario: each entry balances, the trial balance is balanced,
  // all balances sum to zero, and open balances agree with what statements closed.
  afterEach(async () => {
    for (const n of networks.splice(0)) expect(await audit.audit(n)).toEqual([]);
  });

  afterAll(async () => {
    await app.close();
    await clear();
    await drop();
  });

  async function entryId(key: string): Promise<string> {
    const entry = await ledger.entryByKey(key);
    if (!entry) throw new Error(`no entry ${key}`);
    return entry.id;
  }

  async function newNetwork(currency = 'USD') {
    const n = await fx.network(currency);
    networks.push(n);
    return n;
  }

  /** Balance as the operator sees it, in minor units. */
  async function bal(networkId: string, memberId: string, currency = 'USD') {
    const b = await balances.balance(operator(networkId), memberId, currency);
    return { owedToHub: b.owedToHub, owedByHub: b.owedByHub, net: b.net };
  }

  /** The worked example of docs/api.md: client C referred by P1, supplier S referred by P2. */
  async function circles() {
    const n = await newNetwork();
    const p1 = await fx.member(n, ['PARTNER'], { name: 'P1' });
    const p2 = await fx.member(n, ['PARTNER'], { name: 'P2' });
    const c = await fx.member(n, ['CLIENT'], { name: 'Client', referredById: p1, joinedAt: new Date('2026-01-01T00:00:00Z') });
    const s = await fx.member(n, ['SUPPLIER'], { name: 'Supplier', referredById: p2 });
    const breakdown = fees(12000n, 'USD', { clientReferrer: referrer(p1, c), supplierReferrer: referrer(p2, s) });
    return { n, p1, p2, c, s, breakdown };
  }

  describe('posting fulfilled orders', () => {
    it('posts the worked example: client owes 132.00, supplier owed 114.00, P1 2.40, P2 1.20', async () => {
      const { n, p1, p2, c, s, breakdown } = await circles();
      const o = await fx.order(n, c, s, breakdown);
      expect(await posting.postFulfilment(o)).toBe('posted');

      expect(await bal(n, c)).toEqual({ owedToHub: 13200n, owedByHub: 0n, net: -13200n });
      expect(await bal(n, s)).toEqual({ owedToHub: 0n, owedByHub: 11400n, net: 11400n });
      expect(await bal(n, p1)).toEqual({ owedToHub: 0n, owedByHub: 240n, net: 240n });
      expect(await bal(n, p2)).toEqual({ owedToHub: 0n, owedByHub: 120n, net: 120n });

      const accounts = Object.fromEntries((await ledger.accountBalances(n, 'USD')).map((a) => [a.code, a.balance]));
      expect(accounts).toEqual({
        [HUB_ACCOUNTS.feeRevenue]: -1800n, // credit 18.00
        [HUB_ACCOUNTS.partnerShareExpense]: 360n, // debit 3.60
        [receivableAccount(c)]: 13200n,
        [payableAccount(s)]: -11400n,
        [payableAccount(p1)]: -240n,
        [payableAccount(p2)]: -120n,
      });
      expect(await ledger.trialBalance(n, 'USD')).toEqual({ currency: 'USD', debits: 13560n, credits: 13560n, balanced: true });
      const [entry] = await ds.query(`SELECT idempotency_key, kind, order_id FROM journal_entries WHERE order_id = $1`, [o]);
      expect(entry).toEqual({ idempotency_key: `order:${o}:fulfil`, kind: 'ORDER_FULFILMENT', order_id: o });
    });

    it('posts once however often and however concurrently the job runs', async () => {
      const { n, c, s, breakdown } = await circles();
      const o = await fx.order(n, c, s, breakdown);
      const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => posting.postFulfilment(o)));
      expect(outcomes.filter((x) => x === 'posted')).toHaveLength(1);
      expect(outcomes.filter((x) => x === 'already-posted')).toHaveLength(4);
      expect(await posting.postFulfilment(o)).toBe('already-posted');
      expect(Number((await ds.query(`SELECT count(*) AS n FROM journal_entries WHERE order_id = $1`, [o]))[0].n)).toBe(1);
      expect(Number((await ds.query(`SELECT count(*) AS n FROM postings WHERE order_id = $1`, [o]))[0].n)).toBe(8);
      expect((await bal(n, c)).owedToHub).toBe(13200n);
    });

    it('posts a batch in one transaction exactly as one by one, skipping what is posted or not postable', async () => {
      const { n, c, s, breakdown } = await circles();
      const one = await fx.order(n, c, s, breakdown);
      const two = await fx.order(n, c, s, breakdown);
      const accepted = await fx.order(n, c, s, breakdown, 'ACCEPTED');
      expect(await posting.postFulfilment(one)).toBe('posted');
      // A job delivered twice can put the same order in one batch twice.
      expect(await posting.postFulfilments([one, two, two, accepted, randomUUID()])).toEqual([
        'already-posted',
        'posted',
        'posted',
        'not-applicable',
        'not-applicable',
      ]);
      expect(await posting.postFulfilments([one, two])).toEqual(['already-posted', 'already-posted']);
      for (const o of [one, two]) {
        expect(Number((await ds.query(`SELECT count(*) AS n FROM postings WHERE order_id = $1`, [o]))[0].n)).toBe(8);
      }
      expect(Number((await ds.query(`SELECT count(*) AS n FROM journal_entries WHERE order_id = $1`, [accepted]))[0].n)).toBe(0);
      expect((await bal(n, c)).owedToHub).toBe(2n * 13200n);
      expect((await bal(n, s)).owedByHub).toBe(2n * 11400n);
    });

    it('does not post an order that is not fulfilled', async () => {
      const { n, c, s, breakdown } = await circles();
      const o = await fx.order(n, c, s, breakdown, 'ACCEPTED');
      expect(await posting.postFulfilment(o)).toBe('not-applicable');
      expect(await posting.postRefund(o)).toBe('not-applicable');
      expect(await posting.postFulfilment(randomUUID())).toBe('not-applicable');
      expect(await bal(n, c)).toEqual({ owedToHub: 0n, owedByHub: 0n, net: 0n });
    });

    it('rounds each fee half up: 10.10 at 5 % = 0.51; JPY 1005 at 10 % = 101', async () => {
      const n = await newNetwork();
      const c = await fx.member(n, ['CLIENT']);
      const s = await fx.member(n, ['SUPPLIER']);
      await posting.postFulfilment(await fx.order(n, c, s, fees(1010n, 'USD')));
      // client fee 10 % of 10.10 = 1.01; supplier fee 5 % = 0.505 -> 0.51
      expect(await bal(n, c)).toEqual({ owedToHub: 1111n, owedByHub: 0n, net: -1111n });
      expect(await bal(n, s)).toEqual({ owedToHub: 0n, owedByHub: 959n, net: 959n });

      await posting.postFulfilment(await fx.order(n, c, s, fees(1005n, 'JPY')));
      // client fee 10 % of 1005 = 100.5 -> 101; supplier fee 5 % = 50.25 -> 50
      expect(await bal(n, c, 'jpy')).toEqual({ owedToHub: 1106n, owedByHub: 0n, net: -1106n });
      expect(await bal(n, s, 'JPY')).toEqual({ owedToHub: 0n, owedByHub: 955n, net: 955n });
      expect((await balances.balance(operator(n), c, ' jpy ')).currency).toBe('JPY');
      expect(await ledger.trialBalance(n, 'JPY')).toMatchObject({ debits: 1106n, credits: 1106n, balanced: true });
      // The USD balance is not touched by the JPY order.
      expect((await bal(n, c, 'USD')).owedToHub).toBe(1111n);
    });

    it('nets a dual-role member in one balance and one statement', async () => {
      const n = await newNetwork();
      const d = await fx.member(n, ['CLIENT', 'SUPPLIER'], { name: 'Florist' });
      const c = await fx.member(n, ['CLIENT']);
      const s = await fx.member(n, ['SUPPLIER']);
      await posting.postFulfilment(await fx.order(n, d, s, fees(12000n))); // D buys: owes 132.00
      await posting.postFulfilment(await fx.order(n, c, d, fees(5000n))); // D supplies: owed 50.00 - 2.50
      expect(await bal(n, d)).toEqual({ owedToHub: 13200n, owedByHub: 4750n, net: -8450n });

      const { statements: made } = await runs.run(n);
      const st = ofMember(made, d);
      expect(st).toMatchObject({
        currency: 'USD',
        status: 'DUE',
        ordersAsClient: 1,
        ordersAsSupplier: 1,
        purchasesMinor: 12000n,
        clientFeesMinor: 1200n,
        earnedBusinessMinor: 5000n,
        supplierFeesMinor: 250n,
        partnerSharesMinor: 0n,
        netMinor: -8450n,
      });
      expect(await bal(n, d)).toEqual({ owedToHub: 0n, owedByHub: 0n, net: 0n });
    });
  });

  describe('refunds', () => {
    it('posts the exact reverse of the fulfilment entry, before settlement', async () => {
      const { n, p1, c, s, breakdown } = await circles();
      const o = await fx.order(n, c, s, breakdown);
      await posting.postFulfilment(o);
      await fx.setStatus(o, 'REFUNDED');
      expect(await posting.postRefund(o)).toBe('posted');
      expect(await posting.postRefund(o)).toBe('already-posted');

      const fulfil = await ledger.entryPostings(await entryId(`order:${o}:fulfil`));
      const refund = await ledger.entryPostings(await entryId(`order:${o}:refund:1`));
      expect(refund.map((p) => [p.accountCode, p.line, p.amount])).toEqual(fulfil.map((p) => [p.accountCode, p.line, -p.amount]));
      for (const m of [c, s, p1]) expect(await bal(n, m)).toEqual({ owedToHub: 0n, owedByHub: 0n, net: 0n });

      const { statements: made } = await runs.run(n);
      const st = ofMember(made, c);
      // The order counts (it was fulfilled in the period); its amounts net to zero.
      expect(st).toMatchObject({ ordersAsClient: 1, purchasesMinor: 0n, clientFeesMinor: 0n, netMinor: 0n });
    });

    it('posts the fulfilment first when the refund job comes first, so order never matters', async () => {
      const { n, c, s, breakdown } = await circles();
      const o = await fx.order(n, c, s, breakdown, 'REFUNDED');
      expect(await posting.postRefund(o)).toBe('posted');
      expect(await posting.postFulfilment(o)).toBe('already-posted');
      expect(Number((await ds.query(`SELECT count(*) AS n FROM journal_entries WHERE order_id = $1`, [o]))[0].n)).toBe(2);
      expect(await bal(n, c)).toEqual({ owedToHub: 0n, owedByHub: 0n, net: 0n });
    });

    it('after settlement: the balance goes negative and the next statement has negative figures', async () => {
      const { n, p2, c, s, breakdown } = await circles();
      const o = await fx.order(n, c, s, breakdown);
      await posting.postFulfilment(o);
      const first = await runs.run(n);
      const firstOfC = ofMember(first.statements, c);
      expect(firstOfC).toMatchObject({ ordersAsClient: 1, purchasesMinor: 12000n, clientFeesMinor: 1200n, netMinor: -13200n });
      expect(firstOfC.periodStart.toISOString()).toBe('2026-01-01T00:00:00.000Z'); // the member's joinedAt

      await fx.setStatus(o, 'REFUNDED');
      await posting.postRefund(o);
      expect(await bal(n, c)).toEqual({ owedToHub: -13200n, owedByHub: 0n, net: 13200n });
      expect(await bal(n, s)).toEqual({ owedToHub: 0n, owedByHub: -11400n, net: -11400n });
      expect(await bal(n, p2)).toEqual({ owedToHub: 0n, owedByHub: -120n, net: -120n });

      const second = await runs.run(n);
      const ofC = ofMember(second.statements, c);
      expect(ofC).toMatchObject({ ordersAsClient: 0, purchasesMinor: -12000n, clientFeesMinor: -1200n, netMinor: 13200n });
      expect(ofC.periodStart).toEqual(firstOfC.periodEnd);
      expect(second.statements.find((x) => x.memberId === s)).toMatchObject({
        ordersAsSupplier: 0,
        earnedBusinessMinor: -12000n,
        supplierFeesMinor: -600n,
        netMinor: -11400n,
      });
      expect(second.statements.find((x) => x.memberId === p2)).toMatchObject({ partnerSharesMinor: -120n, netMinor: -120n });
      expect(await bal(n, c)).toEqual({ owedToHub: 0n, owedByHub: 0n, net: 0n });
    });
  });

  describe('settlement runs', () => {
    it('closes everyone into statements; a second run makes none', async () => {
      const { n, p1, p2, c, s, breakdown } = await circles();
      await posting.postFulfilment(await fx.order(n, c, s, breakdown));
      await posting.postFulfilment(await fx.order(n, c, s, breakdown));
      const first = await runs.run(n);
      expect(first.statements.map((x) => [x.memberId, x.netMinor]).sort()).toEqual(
        [
          [c, -26400n],
          [s, 22800n],
          [p1, 480n],
          [p2, 240n],
        ].sort(),
      );
      for (const x of first.statements) expect(x.periodEnd).toEqual(first.run.createdAt);
      expect(first.statements.find((x) => x.memberId === s)).toMatchObject({ ordersAsSupplier: 2, earnedBusinessMinor: 24000n, supplierFeesMinor: 1200n });
      for (const m of [c, s, p1, p2]) expect(await bal(n, m)).toEqual({ owedToHub: 0n, owedByHub: 0n, net: 0n });
      // The hub's accounts are untouched by closing; the members' positions moved to their settlement accounts.
      const accounts = Object.fromEntries((await ledger.accountBalances(n, 'USD')).map((a) => [a.code, a.balance]));
      expect(accounts[HUB_ACCOUNTS.feeRevenue]).toBe(-3600n);
      expect(accounts[settlementAccount(c)]).toBe(26400n);
      expect(accounts[settlementAccount(s)]).toBe(-22800n);

      const second = await runs.run(n);
      expect(second.statements).toEqual([]);
      expect(second.run.id).not.toBe(first.run.id);
    });

    it('never double-closes when runs are concurrent', async () => {
      const { n, c, s, breakdown } = await circles();
      for (let i = 0; i < 3; i++) await posting.postFulfilment(await fx.order(n, c, s, breakdown));
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => runs.run(n)));
      const made = results.flatMap((r) => r.statements);
      expect(made).toHaveLength(4); // one per member, all in one of the runs
      expect(results.filter((r) => r.statements.length > 0)).toHaveLength(1);
      expect(ofMember(made, c).netMinor).toBe(-39600n);
      const closedTwice = await ds.query(
        `SELECT sp.posting_id FROM statement_postings sp JOIN statements st ON st.id = sp.statement_id WHERE st.network_id = $1
         GROUP BY sp.posting_id HAVING count(*) > 1`,
        [n],
      );
      expect(closedTwice).toEqual([]);
    });

    it('takes postings made while runs go on into exactly one statement', async () => {
      const { n, c, s, breakdown } = await circles();
      const orders = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => fx.order(n, c, s, breakdown)));
      await Promise.all([...orders.map((o) => posting.postFulfilment(o)), runs.run(n), runs.run(n), runs.run(n)]);
      await runs.run(n);
      const all = await ds.getRepository(StatementEntity).findBy({ networkId: n, memberId: c });
      expect(all.reduce((sum, x) => sum + x.purchasesMinor, 0n)).toBe(96000n);
      expect(all.reduce((sum, x) => sum + x.ordersAsClient, 0)).toBe(8);
      expect(await bal(n, c)).toEqual({ owedToHub: 0n, owedByHub: 0n, net: 0n });
    });

    it('lists statements newest first, to the operator and the member itself only', async () => {
      const { n, c, s, breakdown } = await circles();
      await posting.postFulfilment(await fx.order(n, c, s, breakdown));
      const r1 = await runs.run(n);
      await posting.postFulfilment(await fx.order(n, c, s, fees(100n)));
      const r2 = await runs.run(n);
      const list = await statements.forMember(operator(n), c);
      expect(list.map((x) => x.runId)).toEqual([r2.run.id, r1.run.id]);
      expect((await statements.forMember(asMember(n, c), c)).map((x) => x.id)).toEqual(list.map((x) => x.id));
      await expect(statements.forMember(asMember(n, s), c)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const other = await newNetwork();
      await expect(statements.forMember(operator(other), c)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('markStatementPaid', () => {
    it('marks it PAID once, moves the net between settlement and cash, and leaves the balance alone', async () => {
      const { n, c, s, breakdown } = await circles();
      await posting.postFulfilment(await fx.order(n, c, s, breakdown));
      const { statements: made } = await runs.run(n);
      const ofS = ofMember(made, s);
      await posting.postFulfilment(await fx.order(n, c, s, fees(1000n)));
      const before = await bal(n, s);

      const paid = await statements.markPaid(operator(n), ofS.id);
      expect(paid.status).toBe('PAID');
      expect(paid.paidAt).toBeInstanceOf(Date);
      expect(await bal(n, s)).toEqual(before);
      const accounts = Object.fromEntries((await ledger.accountBalances(n, 'USD')).map((a) => [a.code, a.balance]));
      expect(accounts[settlementAccount(s)]).toBe(0n);
      expect(accounts[HUB_ACCOUNTS.cash]).toBe(-11400n); // the hub paid the supplier 114.00

      await expect(statements.markPaid(operator(n), ofS.id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      const other = await newNetwork();
      await expect(statements.markPaid(operator(other), ofS.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(statements.markPaid(operator(n), randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(statements.markPaid(operator(n), 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(Number((await ds.query(`SELECT count(*) AS n FROM journal_entries WHERE statement_id = $1`, [ofS.id]))[0].n)).toBe(2);
    });

    it('lets exactly one of two concurrent calls pay', async () => {
      const { n, c, s, breakdown } = await circles();
      await posting.postFulfilment(await fx.order(n, c, s, breakdown));
      const ofC = ofMember((await runs.run(n)).statements, c);
      const results = await Promise.allSettled([statements.markPaid(operator(n), ofC.id), statements.markPaid(operator(n), ofC.id)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'BAD_USER_INPUT' } });
      const accounts = Object.fromEntries((await ledger.accountBalances(n, 'USD')).map((a) => [a.code, a.balance]));
      expect(accounts[HUB_ACCOUNTS.cash]).toBe(13200n); // the client paid 132.00 in
    });
  });

  describe('balance access and input', () => {
    it('answers NOT_FOUND out of reach and BAD_USER_INPUT for an unknown currency; zeros when nothing is posted', async () => {
      const { n, c, s } = await circles();
      const other = await newNetwork();
      await expect(balances.balance(asMember(n, s), c, 'USD')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(balances.balance(operator(other), c, 'USD')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(balances.balance(operator(n), randomUUID(), 'USD')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(balances.balance(operator(n), 'not-a-uuid', 'USD')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // Reach comes before input: out of reach with a bad currency is still NOT_FOUND.
      await expect(balances.balance(asMember(n, s), c, 'XYZ')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(balances.balance(operator(n), c, 'XYZ')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await balances.balance(asMember(n, c), c, 'eur')).toEqual({ currency: 'EUR', owedToHub: 0n, owedByHub: 0n, net: 0n });
    });
  });

  describe('reconcile-ledger', () => {
    it('posts fulfilled and refunded orders whose jobs were lost, once', async () => {
      const { n, c, s, breakdown } = await circles();
      const fulfilled = await fx.order(n, c, s, breakdown);
      const refunded = await fx.order(n, c, s, breakdown, 'REFUNDED');
      const halfDone = await fx.order(n, c, s, breakdown);
      await posting.postFulfilment(halfDone);
      await fx.setStatus(halfDone, 'REFUNDED'); // its refund job was lost
      await fx.order(n, c, s, breakdown, 'ACCEPTED');

      const reconcile = app.get(LedgerReconcileService);
      // Younger than LOST_POSTING_MS: their jobs may merely be queued, so the sweep leaves them.
      expect(await reconcile.reconcile()).toBe(0);
      const later = () => new Date(Date.now() + LOST_POSTING_MS + 1_000);
      expect(await reconcile.reconcile(later())).toBe(3);
      expect(await reconcile.reconcile(later())).toBe(0);
      const keys = (await ds.query(`SELECT idempotency_key FROM journal_entries WHERE network_id = $1 ORDER BY idempotency_key`, [n])).map(
        (r: { idempotency_key: string }) => r.idempotency_key,
      );
      expect(keys.sort()).toEqual(
        [
          `order:${fulfilled}:fulfil`,
          `order:${refunded}:fulfil`,
          `order:${refunded}:refund:1`,
          `order:${halfDone}:fulfil`,
          `order:${halfDone}:refund:1`,
        ].sort(),
      );
      expect(await bal(n, c)).toEqual({ owedToHub: 13200n, owedByHub: 0n, net: -13200n });
    });
  });

  describe('postings that will not heal', () => {
    const INT64_MAX = 9_223_372_036_854_775_807n;
    const parkedRows = (orderId: string) => ds.query(`SELECT step, reason, sqlstate, attempts FROM parked_postings WHERE order_id = $1`, [orderId]);

    it('parks a fulfilment whose amounts overflow the ledger; the sweep skips it; a retry posts it once fixed', async () => {
      const { n, c, s } = await circles();
      // An order accepted before amounts were bounded: clientPays is above int64.
      const o = await fx.order(n, c, s, fees(INT64_MAX));
      expect(await posting.postFulfilment(o)).toBe('parked');
      expect(await parkedRows(o)).toEqual([{ step: 'FULFILMENT', reason: 'AMOUNT_OUT_OF_RANGE', sqlstate: '22003', attempts: 1 }]);
      // Neither the sweep nor a repeated job tries it again.
      const reconcile = app.get(LedgerReconcileService);
      expect(await reconcile.reconcile(new Date(Date.now() + LOST_POSTING_MS + 1_000))).toBe(0);
      expect(await posting.postFulfilment(o)).toBe('parked');
      expect(await parkedRows(o)).toEqual([{ step: 'FULFILMENT', reason: 'AMOUNT_OUT_OF_RANGE', sqlstate: '22003', attempts: 1 }]);
      expect(await ds.query(`SELECT 1 FROM journal_entries WHERE order_id = $1`, [o])).toEqual([]);
      const parked = app.get(ParkedPostingService);
      expect((await parked.list(n)).map((p) => [p.orderId, p.step, p.reason])).toEqual([[o, 'FULFILMENT', 'AMOUNT_OUT_OF_RANGE']]);
      expect((await parked.problemsOf([o])).get(o)?.message).toContain('out of range');

      // Another network's operator cannot retry it; an order that is not parked cannot be retried.
      const other = await newNetwork();
      await expect(posting.retryParked(other, o)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const fine = await fx.order(n, c, s, fees(12000n));
      await expect(posting.retryParked(n, fine)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });

      // Still broken: parked again. Fixed (the breakdown corrected): posted.
      expect(await posting.retryParked(n, o)).toBe('parked');
      await fx.replaceFees(o, fees(12000n));
      await ds.query(`UPDATE orders SET price_minor = 12000, budget_minor = 12000 WHERE id = $1`, [o]);
      expect(await posting.retryParked(n, o)).toBe('posted');
      expect(await parkedRows(o)).toEqual([]);
      expect(await bal(n, c)).toEqual({ owedToHub: 13200n, owedByHub: 0n, net: -13200n });
      await posting.postFulfilment(fine);
    });

    it('parks the refund of an order whose fulfilment cannot post, and posts both on retry', async () => {
      const { n, c, s } = await circles();
      const o = await fx.order(n, c, s, fees(INT64_MAX), 'REFUNDED');
      expect(await posting.postRefund(o)).toBe('parked');
      expect(await parkedRows(o)).toEqual([{ step: 'REFUND', reason: 'AMOUNT_OUT_OF_RANGE', sqlstate: '22003', attempts: 1 }]);
      await fx.replaceFees(o, fees(12000n));
      await ds.query(`UPDATE orders SET price_minor = 12000, budget_minor = 12000 WHERE id = $1`, [o]);
      expect(await posting.retryParked(n, o)).toBe('posted');
      expect(await bal(n, c)).toEqual({ owedToHub: 0n, owedByHub: 0n, net: 0n });
    });

    it('a batch with one bad order posts the others and parks the bad one', async () => {
      const { n, c, s } = await circles();
      const good = await fx.order(n, c, s, fees(12000n));
      const bad = await fx.order(n, c, s, fees(INT64_MAX));
      const batcher = new FulfilmentBatcher(posting, new LedgerConnectionGate(2));
      expect(await Promise.all([batcher.post(good), batcher.post(bad)])).toEqual(['posted', 'parked']);
      expect(await parkedRows(bad)).toHaveLength(1);
      await fx.replaceFees(bad, fees(12000n));
      await ds.query(`UPDATE orders SET price_minor = 12000, budget_minor = 12000 WHERE id = $1`, [bad]);
      expect(await posting.retryParked(n, bad)).toBe('posted');
    });

    it('the sweep passes over an order another session holds instead of waiting for it', async () => {
      const { n, c, s } = await circles();
      const o = await fx.order(n, c, s, fees(12000n));
      const runner = ds.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query(`SELECT 1 FROM orders WHERE id = $1 FOR KEY SHARE`, [o]);
        expect(await posting.postFulfilment(o, { skipLocked: true })).toBe('locked-elsewhere');
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      expect(await posting.postFulfilment(o, { skipLocked: true })).toBe('posted');
    });
  });

  describe('schedule', () => {
    it('mirrors the interval to a BullMQ job scheduler and turns it off with 0', async () => {
      const n = await newNetwork();
      const schedules = app.get(SettlementScheduleService);
      const queue = app.get(QueueRegistry).get(QUEUES.ledger);
      expect(await schedules.intervalHours(n)).toBe(0);
      expect(await schedules.set(n, 24)).toBe(24);
      const job = await queue.getJobScheduler(settlementSchedulerId(n));
      expect(job).toMatchObject({ name: 'run-settlement', every: 24 * 3_600_000, template: { data: { networkId: n } } });
      expect(await runs.runScheduled(n)).not.toBeNull();

      await expect(schedules.set(n, -1)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(schedules.set(n, 8761)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await schedules.intervalHours(n)).toBe(24);

      expect(await schedules.set(n, 0)).toBe(0);
      expect(await queue.getJobScheduler(settlementSchedulerId(n))).toBeUndefined();
      expect(await runs.runScheduled(n)).toBeNull();

      // syncAll repairs a scheduler Redis lost.
      await schedules.set(n, 2);
      await queue.removeJobScheduler(settlementSchedulerId(n));
      await schedules.syncAll();
      expect(await queue.getJobScheduler(settlementSchedulerId(n))).toMatchObject({ every: 2 * 3_600_000 });
      await schedules.set(n, null);
      expect(await queue.getJobScheduler(settlementSchedulerId(n))).toBeUndefined();
    });
  });

  describe('audit', () => {
    // The statement tables are tampered with directly: the audit must name each inconsistency it reads through the ledger's views.
    it('reports a statement net its closing did not move, an open balance its statements do not explain, and a hub posting closed into a statement', async () => {
      const n = await fx.network(); // not audited after the test: it is broken on purpose
      const c = await fx.member(n, ['CLIENT']);
      const s = await fx.member(n, ['SUPPLIER']);
      await posting.postFulfilment(await fx.order(n, c, s, fees(12000n)));
      const st = ofMember((await runs.run(n)).statements, c);
      expect(await audit.audit(n)).toEqual([]);

      await ds.query(`UPDATE statements SET net_minor = net_minor + 1 WHERE id = $1`, [st.id]);
      const [purchase] = await ds.query(
        `SELECT sp.posting_id FROM statement_postings sp JOIN postings p ON p.id = sp.posting_id WHERE sp.statement_id = $1 AND p.line = 'PURCHASE'`,
        [st.id],
      );
      await ds.query(`DELETE FROM statement_postings WHERE posting_id = $1`, [purchase.posting_id]);
      await posting.postFulfilment(await fx.order(n, c, s, fees(5000n)));
      const [hub] = await ds.query(
        `SELECT p.id FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.network_id = $1 AND a.member_id IS NULL ORDER BY p.id LIMIT 1`,
        [n],
      );
      await ds.query(`INSERT INTO statement_postings (posting_id, statement_id) VALUES ($1, $2)`, [hub.id, st.id]);

      expect((await audit.audit(n)).sort()).toEqual(
        [
          `${receivableAccount(c)}: open 5500 but unclosed postings sum to 17500`,
          `statement ${st.id}: net -13199, closing moved 13200`,
          `posting ${hub.id} closed into another member's statement`,
        ].sort(),
      );
    });
  });

  describe('statement CSV', () => {
    it('lists the figures and the closed postings, formula-safe', async () => {
      const n = await newNetwork();
      const c = await fx.member(n, ['CLIENT'], { name: '=HYPERLINK("evil")' });
      const s = await fx.member(n, ['SUPPLIER']);
      const o = await fx.order(n, c, s, fees(12000n));
      await posting.postFulfilment(o);
      const st = ofMember((await runs.run(n)).statements, c);
      const csv = await statements.csv(asMember(n, c), st.id);
      const lines = csv.split('\r\n');
      expect(lines).toContain(`member,"'=HYPERLINK(""evil"")"`);
      expect(lines).toContain(`net,'-132.00`);
      expect(lines).toContain(`purchases,120.00`);
      expect(lines.filter((l) => l.startsWith(o))).toEqual([
        expect.stringMatching(new RegExp(`^${o},PURCHASE,120.00,USD,`)),
        expect.stringMatching(new RegExp(`^${o},CLIENT_FEE,12.00,USD,`)),
      ]);
      await expect(statements.csv(asMember(n, s), st.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await statements.csv(operator(n), st.id)).toBe(csv);
    });
  });
});
