import { QUEUES, QueueRegistry } from '@tandem/jobs';
import { LedgerService } from '@tandem/ledger';
import { eventually } from '@tandem/testing';
import { createNetwork, issueKey, register } from './support/community';
import { Circles, auditedCircles } from './support/audited-circles';
import { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const BALANCE = `query($m: ID!, $c: String!) { balance(memberId: $m, currency: $c) { currency owedToHub { ${MONEY} } owedByHub { ${MONEY} } net { ${MONEY} } } }`;
const TRIAL = `query($c: String!) { trialBalance(currency: $c) { currency balanced debits { ${MONEY} } credits { ${MONEY} } } }`;
const STATEMENT = `id member { id name } currency periodStart periodEnd status ordersAsClient ordersAsSupplier
  purchases { ${MONEY} } clientFees { ${MONEY} } earnedBusiness { ${MONEY} } supplierFees { ${MONEY} } partnerShares { ${MONEY} } net { ${MONEY} }`;
const RUN = `mutation { runSettlement { id createdAt statements { ${STATEMENT} } } }`;
const STATEMENTS = `query($m: ID!) { statements(memberId: $m) { ${STATEMENT} } }`;
const PAY = `mutation($s: ID!) { markStatementPaid(statementId: $s) { ${STATEMENT} } }`;
const CSV = `query($s: ID!) { statementCsv(statementId: $s) }`;
const SCHEDULE = `mutation($h: Int) { setSettlementSchedule(intervalHours: $h) { intervalHours } }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id status } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } price { ${MONEY} } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const REFUND = `mutation($id: ID!) { refundOrder(orderId: $id) { id status } }`;

const usd = (amount: string) => ({ amount, currency: 'USD' });
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

let seq = 0;

describe('ledger and settlement over HTTP', () => {
  let t: TandemHarness;

  beforeAll(async () => {
    t = await TandemHarness.start('settlement');
  });
  afterAll(() => t.stop());

  // After every scenario: the trial balance is balanced, caches match, open balances agree with statements.
  const { circles, audit } = auditedCircles(() => t);

  const balance = async (key: string, memberId: string, currency = 'USD') => (await t.ok(BALANCE, { m: memberId, c: currency }, key)).balance;
  const triple = (b: any) => [b.owedToHub.amount, b.owedByHub.amount, b.net.amount];

  /** Places an order as the client key, lets the offered supplier accept and fulfil it; returns its id. */
  async function fulfilled(c: Circles, clientKey: string, category: string, supplierKey: string, budget = '150'): Promise<string> {
    const { placeOrder } = await t.ok(
      PLACE,
      { input: { category, region: 'US-NY', quantity: 1, deliverBy: inDays(3), budget: usd(budget), idempotencyKey: `k-${++seq}` } },
      clientKey,
    );
    await eventually(async () => (await t.ok(ORDER, { id: placeOrder.id }, c.op)).order.status === 'OFFERED', 5000);
    await t.ok(ACCEPT, { id: placeOrder.id }, supplierKey);
    await t.ok(FULFIL, { id: placeOrder.id }, supplierKey);
    return placeOrder.id;
  }

  /** Waits (contract: within 2 s) until the member's balance shows these amounts. */
  function balanceBecomes(key: string, memberId: string, expected: [string, string, string]) {
    return eventually(async () => {
      const b = await balance(key, memberId);
      return JSON.stringify(triple(b)) === JSON.stringify(expected) && b;
    }, 2000);
  }

  it('posts the worked example: client owes 132.00, supplier is owed 114.00, P1 2.40, P2 1.20', async () => {
    const c = await circles();
    await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.op, c.client.id, ['132.00', '0.00', '-132.00']);
    expect(await balance(c.keys.client, c.client.id)).toEqual({ currency: 'USD', owedToHub: usd('132.00'), owedByHub: usd('0.00'), net: usd('-132.00') });
    expect(triple(await balance(c.keys.supplier, c.supplier.id))).toEqual(['0.00', '114.00', '114.00']);
    expect(triple(await balance(c.keys.p1, c.p1.id))).toEqual(['0.00', '2.40', '2.40']);
    expect(triple(await balance(c.op, c.p2.id, 'usd'))).toEqual(['0.00', '1.20', '1.20']);

    expect((await t.ok(TRIAL, { c: 'usd' }, c.op)).trialBalance).toEqual({ currency: 'USD', balanced: true, debits: usd('135.60'), credits: usd('135.60') });
    const accounts = Object.fromEntries((await t.api.get(LedgerService).accountBalances(c.networkId, 'USD')).map((a) => [a.code, a.balance]));
    expect(accounts['hub:fee-revenue']).toBe(-1800n); // the hub earned 18.00 in fees
    expect(accounts['hub:partner-share-expense']).toBe(360n); // and gave 3.60 to partners: it keeps 14.40
  });

  it('guards balances: the member itself or the operator; others NOT_FOUND; admin FORBIDDEN; bad currency BAD_USER_INPUT', async () => {
    const c = await circles();
    const other = await createNetwork(t, 'Elsewhere');
    expect(await t.code(BALANCE, { m: c.client.id, c: 'USD' }, c.keys.supplier)).toBe('NOT_FOUND');
    expect(await t.code(BALANCE, { m: c.client.id, c: 'USD' }, c.keys.p1)).toBe('NOT_FOUND'); // it referred the client: not its money
    expect(await t.code(BALANCE, { m: c.client.id, c: 'USD' }, other.op)).toBe('NOT_FOUND');
    expect(await t.code(BALANCE, { m: 'not-an-id', c: 'USD' }, c.op)).toBe('NOT_FOUND');
    expect(await t.code(BALANCE, { m: c.client.id, c: 'USD' }, t.adminKey)).toBe('FORBIDDEN');
    expect(await t.code(BALANCE, { m: c.client.id, c: 'USD' })).toBe('UNAUTHENTICATED');
    expect(await t.code(BALANCE, { m: c.client.id, c: 'DOLLARS' }, c.keys.client)).toBe('BAD_USER_INPUT');
    expect(await t.code(BALANCE, { m: c.client.id, c: 'DOLLARS' }, c.keys.supplier)).toBe('NOT_FOUND');
    expect(await balance(c.keys.client, c.client.id, 'eur')).toEqual({
      currency: 'EUR',
      owedToHub: { amount: '0.00', currency: 'EUR' },
      owedByHub: { amount: '0.00', currency: 'EUR' },
      net: { amount: '0.00', currency: 'EUR' },
    });
    expect(await t.code(TRIAL, { c: 'USD' }, c.keys.supplier)).toBe('FORBIDDEN');
    expect(await t.code(TRIAL, { c: 'USD' }, t.adminKey)).toBe('FORBIDDEN');
    expect(await t.code(TRIAL, { c: 'XXX1' }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(RUN, {}, c.keys.client)).toBe('FORBIDDEN');
    expect(await t.code(PAY, { s: c.client.id }, c.keys.supplier)).toBe('FORBIDDEN');
    expect(await t.code(STATEMENTS, { m: c.client.id }, c.keys.supplier)).toBe('NOT_FOUND');
    expect(await t.code(STATEMENTS, { m: c.client.id }, t.adminKey)).toBe('FORBIDDEN');
  });

  it('nets a dual-role member (the florist buys baskets and supplies flowers) in one balance and statement', async () => {
    const c = await circles();
    await fulfilled(c, c.keys.florist, 'gift-baskets', c.keys.supplier); // owes 120.00 + 12.00
    await fulfilled(c, c.keys.client, 'flowers', c.keys.florist, '50'); // earns 35.50 - 1.78 (5 % of 35.50 = 1.775, half up)
    await balanceBecomes(c.op, c.florist.id, ['132.00', '33.72', '-98.28']);

    const { runSettlement } = await t.ok(RUN, {}, c.op);
    const st = runSettlement.statements.find((s: any) => s.member.id === c.florist.id);
    expect(st).toMatchObject({
      member: { id: c.florist.id, name: 'Fleur Florist' },
      currency: 'USD',
      status: 'DUE',
      ordersAsClient: 1,
      ordersAsSupplier: 1,
      purchases: usd('120.00'),
      clientFees: usd('12.00'),
      earnedBusiness: usd('35.50'),
      supplierFees: usd('1.78'),
      partnerShares: usd('0.00'),
      net: usd('-98.28'),
    });
    expect(triple(await balance(c.keys.florist, c.florist.id))).toEqual(['0.00', '0.00', '0.00']);
  });

  it('settles: statements per member, a second run makes none, newest first, markStatementPaid once', async () => {
    const c = await circles();
    await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.op, c.p2.id, ['0.00', '1.20', '1.20']);

    const first = (await t.ok(RUN, {}, c.op)).runSettlement;
    expect(first.statements.map((s: any) => [s.member.name, s.net.amount]).sort()).toEqual(
      [
        ['Grand Hotel', '-132.00'],
        ['Basket & Co', '114.00'],
        ['Pia Partner', '2.40'],
        ['Paul Partner', '1.20'],
      ].sort(),
    );
    const ofSupplier = first.statements.find((s: any) => s.member.id === c.supplier.id);
    expect(ofSupplier).toMatchObject({ ordersAsSupplier: 1, ordersAsClient: 0, earnedBusiness: usd('120.00'), supplierFees: usd('6.00') });
    expect(ofSupplier.periodEnd).toBe(first.createdAt);
    expect(ofSupplier.periodStart).toBe(c.supplier.joinedAt);
    for (const m of [c.client, c.supplier, c.p1, c.p2]) expect(triple(await balance(c.op, m.id))).toEqual(['0.00', '0.00', '0.00']);

    expect((await t.ok(RUN, {}, c.op)).runSettlement.statements).toEqual([]);

    await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.keys.supplier, c.supplier.id, ['0.00', '114.00', '114.00']);
    const third = (await t.ok(RUN, {}, c.op)).runSettlement;
    const list = (await t.ok(STATEMENTS, { m: c.supplier.id }, c.keys.supplier)).statements;
    expect(list.map((s: any) => s.id)).toEqual([third.statements.find((s: any) => s.member.id === c.supplier.id).id, ofSupplier.id]);
    expect(list[0].periodStart).toBe(ofSupplier.periodEnd);

    await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.op, c.supplier.id, ['0.00', '114.00', '114.00']);
    const paid = (await t.ok(PAY, { s: ofSupplier.id }, c.op)).markStatementPaid;
    expect(paid).toMatchObject({ id: ofSupplier.id, status: 'PAID', net: usd('114.00') });
    expect(await t.code(PAY, { s: ofSupplier.id }, c.op)).toBe('BAD_USER_INPUT');
    expect(triple(await balance(c.op, c.supplier.id))).toEqual(['0.00', '114.00', '114.00']); // paying does not change the balance
    const other = await createNetwork(t, 'Other');
    expect(await t.code(PAY, { s: ofSupplier.id }, other.op)).toBe('NOT_FOUND');
    expect((await t.ok(STATEMENTS, { m: c.supplier.id }, c.op)).statements.map((s: any) => s.status)).toEqual(['DUE', 'PAID']);
  });

  it('runs concurrent settlements without closing anything twice', async () => {
    const c = await circles();
    await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.op, c.client.id, ['264.00', '0.00', '-264.00']);
    const runs = await Promise.all([1, 2, 3, 4].map(() => t.ok(RUN, {}, c.op)));
    const statements = runs.flatMap((r) => r.runSettlement.statements);
    expect(statements).toHaveLength(4);
    expect(runs.filter((r) => r.runSettlement.statements.length > 0)).toHaveLength(1);
    expect(statements.find((s: any) => s.member.id === c.client.id)).toMatchObject({ ordersAsClient: 2, purchases: usd('240.00'), net: usd('-264.00') });
  });

  it('refunds before settlement: the exact reverse, balances back to zero', async () => {
    const c = await circles();
    const id = await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.op, c.client.id, ['132.00', '0.00', '-132.00']);
    expect((await t.ok(REFUND, { id }, c.op)).refundOrder.status).toBe('REFUNDED');
    await balanceBecomes(c.op, c.client.id, ['0.00', '0.00', '0.00']);
    for (const m of [c.supplier, c.p1, c.p2]) expect(triple(await balance(c.op, m.id))).toEqual(['0.00', '0.00', '0.00']);
    const st = (await t.ok(RUN, {}, c.op)).runSettlement.statements.find((s: any) => s.member.id === c.client.id);
    expect(st).toMatchObject({ ordersAsClient: 1, purchases: usd('0.00'), clientFees: usd('0.00'), net: usd('0.00') });
  });

  it('refunds after settlement: balances go negative and the next statement carries negative figures', async () => {
    const c = await circles();
    const id = await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.op, c.p1.id, ['0.00', '2.40', '2.40']);
    await t.ok(RUN, {}, c.op);
    await t.ok(REFUND, { id }, c.op);
    await balanceBecomes(c.op, c.client.id, ['-132.00', '0.00', '132.00']);
    expect(triple(await balance(c.op, c.supplier.id))).toEqual(['0.00', '-114.00', '-114.00']);
    expect(triple(await balance(c.op, c.p1.id))).toEqual(['0.00', '-2.40', '-2.40']);

    const next = (await t.ok(RUN, {}, c.op)).runSettlement.statements;
    const by = (m: { id: string }) => next.find((s: any) => s.member.id === m.id);
    expect(by(c.client)).toMatchObject({ ordersAsClient: 0, purchases: usd('-120.00'), clientFees: usd('-12.00'), net: usd('132.00') });
    expect(by(c.supplier)).toMatchObject({ ordersAsSupplier: 0, earnedBusiness: usd('-120.00'), supplierFees: usd('-6.00'), net: usd('-114.00') });
    expect(by(c.p2)).toMatchObject({ partnerShares: usd('-1.20'), net: usd('-1.20') });
  });

  it('downloads a statement as formula-safe CSV, for the operator and the member only', async () => {
    const c = await circles();
    const id = await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.op, c.client.id, ['132.00', '0.00', '-132.00']);
    const st = (await t.ok(RUN, {}, c.op)).runSettlement.statements.find((s: any) => s.member.id === c.client.id);
    const csv: string = (await t.ok(CSV, { s: st.id }, c.keys.client)).statementCsv;
    const lines = csv.split('\r\n');
    expect(lines).toEqual(expect.arrayContaining(['member,Grand Hotel', 'purchases,120.00', 'client_fees,12.00', "net,'-132.00", 'orders_as_client,1']));
    expect(lines.filter((l) => l.startsWith(id)).map((l) => l.split(',').slice(0, 4))).toEqual([
      [id, 'PURCHASE', '120.00', 'USD'],
      [id, 'CLIENT_FEE', '12.00', 'USD'],
    ]);
    expect((await t.ok(CSV, { s: st.id }, c.op)).statementCsv).toBe(csv);
    expect(await t.code(CSV, { s: st.id }, c.keys.supplier)).toBe('NOT_FOUND');
    expect(await t.code(CSV, { s: 'x' }, c.op)).toBe('NOT_FOUND');
  });

  it('sets and clears the settlement schedule (operator only)', async () => {
    const c = await circles();
    expect((await t.ok(SCHEDULE, { h: 24 }, c.op)).setSettlementSchedule).toEqual({ intervalHours: 24 });
    expect((await t.ok(`{ settlementSchedule { intervalHours } }`, {}, c.op)).settlementSchedule).toEqual({ intervalHours: 24 });
    expect(await t.code(SCHEDULE, { h: -1 }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(SCHEDULE, { h: 1 }, c.keys.client)).toBe('FORBIDDEN');
    expect((await t.ok(SCHEDULE, { h: 0 }, c.op)).setSettlementSchedule).toEqual({ intervalHours: 0 });
  });

  it('runs settlement from the scheduled job, and not once the schedule is off', async () => {
    const c = await circles();
    await fulfilled(c, c.keys.client, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c.op, c.client.id, ['132.00', '0.00', '-132.00']);
    const queue = t.api.get(QueueRegistry).get(QUEUES.ledger);

    // The schedule is off by default: a stray job does nothing.
    await queue.add('run-settlement', { networkId: c.networkId }, { jobId: `stray-${c.networkId}` });
    await eventually(async () => (await queue.getJobState(`stray-${c.networkId}`)) === 'completed', 5000);
    expect((await t.ok(STATEMENTS, { m: c.client.id }, c.op)).statements).toEqual([]);

    await t.ok(SCHEDULE, { h: 6 }, c.op);
    const scheduler = await eventually(async () => (await queue.getJobScheduler(`run-settlement-${c.networkId}`)) ?? false, 5000);
    expect(scheduler).toMatchObject({ every: 6 * 3_600_000, template: { data: { networkId: c.networkId } } });
    // What the scheduler enqueues when the interval is up:
    await queue.add('run-settlement', { networkId: c.networkId }, { jobId: `tick-${c.networkId}` });
    const list = await eventually(async () => {
      const { statements } = await t.ok(STATEMENTS, { m: c.client.id }, c.op);
      return statements.length > 0 && statements;
    }, 5000);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'DUE', purchases: usd('120.00'), net: usd('-132.00') });
    expect(triple(await balance(c.op, c.client.id))).toEqual(['0.00', '0.00', '0.00']);
    await t.ok(SCHEDULE, { h: 0 }, c.op);
    expect(await queue.getJobScheduler(`run-settlement-${c.networkId}`)).toBeUndefined();
  });

  it('makes no statement for a member with nothing posted: the run has an empty list', async () => {
    const net = await createNetwork(t, 'Solo');
    audit(net.id);
    const m = await register(t, net.op, 'Quiet', ['CLIENT']);
    const key = await issueKey(t, net.op, m.id);
    expect((await t.ok(STATEMENTS, { m: m.id }, key)).statements).toEqual([]);
    const run = (await t.ok(RUN, {}, net.op)).runSettlement;
    expect(run.statements).toEqual([]);
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.ok(STATEMENTS, { m: m.id }, net.op)).statements).toEqual([]);
  });
});
