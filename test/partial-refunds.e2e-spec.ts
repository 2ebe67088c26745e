import { DataSource } from 'typeorm';
import { LedgerService } from '@tandem/ledger';
import { eventually } from '@tandem/testing';
import { Q, issueKey, register, vet } from './support/community';
import { Circles, auditedCircles } from './support/audited-circles';
import { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const BREAKDOWN = `price { ${MONEY} } clientFee { ${MONEY} } supplierFee { ${MONEY} } clientPays { ${MONEY} } supplierReceives { ${MONEY} }
  partnerShares { partner { id } amount { ${MONEY} } } hubNet { ${MONEY} }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status price { ${MONEY} } refundedAmount { ${MONEY} }
  refunds { id amount { ${MONEY} } reason createdAt reversed { ${BREAKDOWN} } } events { type } } }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id status } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const REFUND = `mutation($id: ID!) { refundOrder(orderId: $id) { id status refundedAmount { ${MONEY} } } }`;
const PARTIAL = `mutation($id: ID!, $amount: MoneyInput!, $reason: String) {
  refundOrderPartially(orderId: $id, amount: $amount, reason: $reason) { id status refundedAmount { ${MONEY} } refunds { amount { ${MONEY} } } } }`;
const PREVIEW = `query($id: ID!, $amount: MoneyInput!) { refundPreview(orderId: $id, amount: $amount) { ${BREAKDOWN} } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedToHub { ${MONEY} } owedByHub { ${MONEY} } } }`;
const TRIAL = `query { trialBalance(currency: "USD") { balanced debits { ${MONEY} } credits { ${MONEY} } } }`;
const RUN = `mutation { runSettlement { id statements { id member { id } purchases { ${MONEY} } clientFees { ${MONEY} } net { ${MONEY} } } } }`;
const STATEMENTS = `query($m: ID!) { statements(memberId: $m) { id purchases { ${MONEY} } clientFees { ${MONEY} } net { ${MONEY} } } }`;
const CSV = `query($s: ID!) { statementCsv(statementId: $s) }`;

const usd = (amount: string) => ({ amount, currency: 'USD' });
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

let seq = 0;

describe('partial refunds over HTTP (libs/settlement/README.md, "Partial refunds")', () => {
  let t: TandemHarness;

  beforeAll(async () => {
    t = await TandemHarness.start('partial-refunds');
  });
  afterAll(() => t.stop());

  // After every scenario: the trial balance is balanced, caches match, open balances agree with statements.
  const { circles } = auditedCircles(() => t);

  /** A vetted supplier of `category` at this unit price, with its key. */
  async function supplierAt(c: Circles, category: string, unitPrice: string): Promise<string> {
    const s = await register(t, c.op, `Supplier ${++seq}`, ['SUPPLIER']);
    await vet(t, c.op, s.id);
    await t.ok(
      Q.addCapability,
      { input: { supplierId: s.id, category, regions: ['US-NY'], dailyCapacity: 20, leadTimeHours: 1, unitPrice: usd(unitPrice) } },
      c.op,
    );
    return issueKey(t, c.op, s.id);
  }

  async function fulfilled(c: Circles, category: string, supplierKey: string, budget = '150'): Promise<string> {
    const { placeOrder } = await t.ok(
      PLACE,
      { input: { category, region: 'US-NY', quantity: 1, deliverBy: inDays(3), budget: usd(budget), idempotencyKey: `k-${++seq}` } },
      c.keys.client,
    );
    await eventually(async () => (await t.ok(ORDER, { id: placeOrder.id }, c.op)).order.status === 'OFFERED', 5000);
    await t.ok(ACCEPT, { id: placeOrder.id }, supplierKey);
    await t.ok(FULFIL, { id: placeOrder.id }, supplierKey);
    // Posted before any refund, so a balance back at zero later means the refunds were posted too.
    await eventually(() => t.api.get(LedgerService).entryByKey(`order:${placeOrder.id}:fulfil`), 5000);
    return placeOrder.id;
  }

  const order = async (c: Circles, id: string) => (await t.ok(ORDER, { id }, c.op)).order;
  const owed = async (c: Circles, memberId: string) => {
    const b = (await t.ok(BALANCE, { m: memberId }, c.op)).balance;
    return [b.owedToHub.amount, b.owedByHub.amount];
  };
  const balanceBecomes = (c: Circles, memberId: string, expected: [string, string]) =>
    eventually(async () => JSON.stringify(await owed(c, memberId)) === JSON.stringify(expected), 2000);
  const legs = (r: any) => ({
    price: r.reversed.price.amount,
    clientFee: r.reversed.clientFee.amount,
    supplierFee: r.reversed.supplierFee.amount,
    shares: r.reversed.partnerShares.map((s: any) => s.amount.amount),
    clientPays: r.reversed.clientPays.amount,
    supplierReceives: r.reversed.supplierReceives.amount,
    hubNet: r.reversed.hubNet.amount,
  });

  /** What each entry of the order moved on each account, from the ledger itself. */
  async function entryOf(key: string): Promise<Map<string, bigint>> {
    const ledger = t.api.get(LedgerService);
    const entry = await ledger.entryByKey(key);
    if (!entry) throw new Error(`no entry ${key}`);
    const byAccount = new Map<string, bigint>();
    for (const p of await ledger.entryPostings(entry.id))
      byAccount.set(`${p.accountCode} ${p.line}`, (byAccount.get(`${p.accountCode} ${p.line}`) ?? 0n) + p.amount);
    return byAccount;
  }

  it('reverses the Circles order to the cent: 30.00, then 50.00, then the remaining 40.00 by refundOrder', async () => {
    const c = await circles();
    const id = await fulfilled(c, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c, c.client.id, ['132.00', '0.00']);

    const first = (await t.ok(PARTIAL, { id, amount: usd('30'), reason: 'one basket arrived late' }, c.op)).refundOrderPartially;
    expect(first.status).toBe('PARTIALLY_REFUNDED');
    expect(first.refundedAmount).toEqual(usd('30.00'));
    let o = await order(c, id);
    expect(legs(o.refunds[0])).toEqual({
      price: '30.00',
      clientFee: '3.00',
      supplierFee: '1.50',
      shares: ['0.60', '0.30'],
      clientPays: '33.00',
      supplierReceives: '28.50',
      hubNet: '3.60',
    });
    expect(o.refunds[0].reason).toBe('one basket arrived late');
    // The client gets back 33.00, the supplier gives back 28.50, each partner its share.
    await balanceBecomes(c, c.client.id, ['99.00', '0.00']);
    expect(await owed(c, c.supplier.id)).toEqual(['0.00', '85.50']);
    expect(await owed(c, c.p1.id)).toEqual(['0.00', '1.80']);
    expect(await owed(c, c.p2.id)).toEqual(['0.00', '0.90']);

    await t.ok(PARTIAL, { id, amount: usd('50.00') }, c.op);
    o = await order(c, id);
    expect(legs(o.refunds[1])).toEqual({
      price: '50.00',
      clientFee: '5.00',
      supplierFee: '2.50',
      shares: ['1.00', '0.50'],
      clientPays: '55.00',
      supplierReceives: '47.50',
      hubNet: '6.00',
    });
    expect(o.refundedAmount).toEqual(usd('80.00'));

    const last = (await t.ok(REFUND, { id }, c.op)).refundOrder;
    expect(last.status).toBe('REFUNDED');
    expect(last.refundedAmount).toEqual(usd('120.00'));
    o = await order(c, id);
    expect(legs(o.refunds[2])).toEqual({
      price: '40.00',
      clientFee: '4.00',
      supplierFee: '2.00',
      shares: ['0.80', '0.40'],
      clientPays: '44.00',
      supplierReceives: '38.00',
      hubNet: '4.80',
    });
    expect(o.events.map((e: any) => e.type)).toEqual(['placed', 'offered', 'accepted', 'fulfilled', 'partially_refunded', 'partially_refunded', 'refunded']);

    // Everyone is back at zero, and each refund is its own entry; together they are the fulfilment's exact reverse.
    for (const m of [c.client, c.supplier, c.p1, c.p2]) await balanceBecomes(c, m.id, ['0.00', '0.00']);
    const fulfil = await entryOf(`order:${id}:fulfil`);
    const refunds = await Promise.all([1, 2, 3].map((n) => entryOf(`order:${id}:refund:${n}`)));
    for (const [account, amount] of fulfil) expect([account, refunds.reduce((s, r) => s + (r.get(account) ?? 0n), 0n)]).toEqual([account, -amount]);
    for (const r of refunds) expect([...r.values()].reduce((a, b) => a + b, 0n)).toBe(0n);
    expect((await t.ok(TRIAL, {}, c.op)).trialBalance.balanced).toBe(true);
  });

  it('rounds each leg half up on the cumulative amount: 5.05 of a 10.10 order reverses 0.51 and 0.26', async () => {
    const c = await circles();
    const key = await supplierAt(c, 'cards', '10.10');
    const id = await fulfilled(c, 'cards', key, '20');
    const before = await order(c, id);
    expect(before.price).toEqual(usd('10.10'));
    await t.ok(PARTIAL, { id, amount: usd('5.05') }, c.op);
    const first = legs((await order(c, id)).refunds[0]);
    expect([first.clientFee, first.supplierFee]).toEqual(['0.51', '0.26']);
    // The second half reverses what is left: 0.50 and 0.25, so the legs add up to 1.01 and 0.51 exactly.
    await t.ok(PARTIAL, { id, amount: usd('5.05') }, c.op);
    const o = await order(c, id);
    expect(o.status).toBe('REFUNDED');
    expect([legs(o.refunds[1]).clientFee, legs(o.refunds[1]).supplierFee]).toEqual(['0.50', '0.25']);
    await balanceBecomes(c, c.client.id, ['0.00', '0.00']);
    // The same in the ledger: each refund's own entry moves exactly those legs, and the two reverse the fulfilment.
    const byLine = (entry: Map<string, bigint>, line: string) => [...entry].filter(([k]) => k.endsWith(` ${line}`)).reduce((sum, [, v]) => sum + v, 0n);
    const [fulfil, r1, r2] = await Promise.all([`order:${id}:fulfil`, `order:${id}:refund:1`, `order:${id}:refund:2`].map(entryOf));
    expect(['PURCHASE', 'CLIENT_FEE', 'SUPPLIER_FEE', 'FEE_REVENUE'].map((line) => byLine(r1, line))).toEqual([-505n, -51n, -26n, 77n]);
    expect(['PURCHASE', 'CLIENT_FEE', 'SUPPLIER_FEE', 'FEE_REVENUE'].map((line) => byLine(r2, line))).toEqual([-505n, -50n, -25n, 75n]);
    for (const [account, amount] of fulfil) expect([account, (r1.get(account) ?? 0n) + (r2.get(account) ?? 0n)]).toEqual([account, -amount]);
    for (const r of [r1, r2]) expect([...r.values()].reduce((a, b) => a + b, 0n)).toBe(0n);
  });

  it('leaves legs of zero out of a tiny refund, and the remainder still reverses every leg exactly', async () => {
    const c = await circles();
    const id = await fulfilled(c, 'gift-baskets', c.keys.supplier);
    await t.ok(PARTIAL, { id, amount: usd('0.01') }, c.op);
    let o = await order(c, id);
    // 0.01 of 120.00: 0.1, 0.05, 0.02 and 0.01 cents of the legs, all rounding to nothing.
    expect(legs(o.refunds[0])).toEqual({
      price: '0.01',
      clientFee: '0.00',
      supplierFee: '0.00',
      shares: [],
      clientPays: '0.01',
      supplierReceives: '0.01',
      hubNet: '0.00',
    });
    await t.ok(REFUND, { id }, c.op);
    o = await order(c, id);
    expect(legs(o.refunds[1])).toEqual({
      price: '119.99',
      clientFee: '12.00',
      supplierFee: '6.00',
      shares: ['2.40', '1.20'],
      clientPays: '131.99',
      supplierReceives: '113.99',
      hubNet: '14.40',
    });
    for (const m of [c.client, c.supplier, c.p1, c.p2]) await balanceBecomes(c, m.id, ['0.00', '0.00']);
  });

  it('refuses a bad refund with the contract code and changes nothing', async () => {
    const c = await circles();
    const id = await fulfilled(c, 'gift-baskets', c.keys.supplier);
    await t.ok(PARTIAL, { id, amount: usd('100') }, c.op);
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['above what remains', { id, amount: usd('20.01') }, c.op, 'BAD_USER_INPUT'],
      ['another currency', { id, amount: { amount: '1', currency: 'EUR' } }, c.op, 'BAD_USER_INPUT'],
      ['too many decimals', { id, amount: usd('1.001') }, c.op, 'BAD_USER_INPUT'],
      ['zero', { id, amount: usd('0') }, c.op, 'BAD_USER_INPUT'],
      ['negative', { id, amount: usd('-1') }, c.op, 'BAD_USER_INPUT'],
      ['an unknown currency', { id, amount: { amount: '1', currency: 'XXY' } }, c.op, 'BAD_USER_INPUT'],
      ['a member key', { id, amount: usd('1') }, c.keys.client, 'FORBIDDEN'],
      // The README's precedence: the kind of key first, then reach, then the input.
      ['a member key with a bad amount', { id, amount: usd('0') }, c.keys.client, 'FORBIDDEN'],
      ['the admin key', { id, amount: usd('1') }, t.adminKey, 'FORBIDDEN'],
      ['an order that does not exist', { id: '00000000-0000-4000-8000-000000000000', amount: usd('1') }, c.op, 'NOT_FOUND'],
    ];
    for (const [why, vars, key, code] of cases) expect([why, await t.code(PARTIAL, vars, key)]).toEqual([why, code]);
    const other = await circles();
    expect(await t.code(PARTIAL, { id, amount: usd('1') }, other.op)).toBe('NOT_FOUND');
    expect(await t.code(PARTIAL, { id, amount: usd('1000') }, other.op)).toBe('NOT_FOUND');

    const o = await order(c, id);
    expect(o.refundedAmount).toEqual(usd('100.00'));
    expect(o.refunds).toHaveLength(1);
    expect(o.status).toBe('PARTIALLY_REFUNDED');
    await balanceBecomes(c, c.client.id, ['22.00', '0.00']);

    // An order not fulfilled yet cannot be refunded in part either.
    const { placeOrder } = await t.ok(
      PLACE,
      { input: { category: 'gift-baskets', region: 'US-NY', quantity: 1, deliverBy: inDays(3), budget: usd('150'), idempotencyKey: `k-${++seq}` } },
      c.keys.client,
    );
    expect(await t.code(PARTIAL, { id: placeOrder.id, amount: usd('1') }, c.op)).toBe('BAD_USER_INPUT');
    // Once refunded in full, nothing remains.
    await t.ok(REFUND, { id }, c.op);
    expect(await t.code(PARTIAL, { id, amount: usd('0.01') }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(REFUND, { id }, c.op)).toBe('BAD_USER_INPUT');
    await balanceBecomes(c, c.client.id, ['0.00', '0.00']);
  });

  it('previews what a refund would reverse, by the rule that then records it, with the same refusals, changing nothing', async () => {
    const c = await circles();
    const id = await fulfilled(c, 'gift-baskets', c.keys.supplier);
    await t.ok(PARTIAL, { id, amount: usd('30') }, c.op);
    // After 30.00, a further 50.00 reverses on the cumulative 80.00 (docs/api.md, "Partial refunds").
    const preview = (await t.ok(PREVIEW, { id, amount: usd('50') }, c.op)).refundPreview;
    const expected = {
      price: '50.00',
      clientFee: '5.00',
      supplierFee: '2.50',
      shares: ['1.00', '0.50'],
      clientPays: '55.00',
      supplierReceives: '47.50',
      hubNet: '6.00',
    };
    expect(legs({ reversed: preview })).toEqual(expected);
    expect((await order(c, id)).refunds).toHaveLength(1);

    const cases: [string, Record<string, unknown>, string, string][] = [
      ['above what remains', { id, amount: usd('90.01') }, c.op, 'BAD_USER_INPUT'],
      ['another currency', { id, amount: { amount: '1', currency: 'EUR' } }, c.op, 'BAD_USER_INPUT'],
      ['zero', { id, amount: usd('0') }, c.op, 'BAD_USER_INPUT'],
      ['a member key', { id, amount: usd('1') }, c.keys.client, 'FORBIDDEN'],
      ['the supplier key', { id, amount: usd('1') }, c.keys.supplier, 'FORBIDDEN'],
      ['an order that does not exist', { id: '00000000-0000-4000-8000-000000000000', amount: usd('1') }, c.op, 'NOT_FOUND'],
    ];
    for (const [why, vars, key, code] of cases) expect([why, await t.code(PREVIEW, vars, key)]).toEqual([why, code]);
    expect(await t.code(PREVIEW, { id, amount: usd('1') }, (await circles()).op)).toBe('NOT_FOUND');

    // The refund it previewed reverses exactly that.
    await t.ok(PARTIAL, { id, amount: usd('50') }, c.op);
    expect(legs((await order(c, id)).refunds[1])).toEqual(expected);

    // A disputed order is previewed too (its resolution may refund it); an unfulfilled one is not.
    const disputed = await fulfilled(c, 'gift-baskets', c.keys.supplier);
    await t.ok(`mutation($id: ID!) { openDispute(orderId: $id, reason: "late") { id } }`, { id: disputed }, c.keys.client);
    expect((await t.ok(PREVIEW, { id: disputed, amount: usd('120') }, c.op)).refundPreview.clientPays).toEqual(usd('132.00'));
    const { placeOrder } = await t.ok(
      PLACE,
      { input: { category: 'gift-baskets', region: 'US-NY', quantity: 1, deliverBy: inDays(3), budget: usd('150'), idempotencyKey: `k-${++seq}` } },
      c.keys.client,
    );
    expect(await t.code(PREVIEW, { id: placeOrder.id, amount: usd('1') }, c.op)).toBe('BAD_USER_INPUT');
  });

  it('ten concurrent refunds of 10.00 on a 50.00 order refund exactly 50.00 and refuse the other five', async () => {
    const c = await circles();
    const key = await supplierAt(c, 'hampers', '50');
    const id = await fulfilled(c, 'hampers', key, '60');
    const results = await Promise.all(Array.from({ length: 10 }, () => t.gql(PARTIAL, { id, amount: usd('10') }, c.op)));
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual([...Array(5).fill('BAD_USER_INPUT'), ...Array(5).fill('OK')]);
    const o = await order(c, id);
    expect(o.status).toBe('REFUNDED');
    expect(o.refundedAmount).toEqual(usd('50.00'));
    expect(o.refunds.map((r: any) => r.amount.amount)).toEqual(Array(5).fill('10.00'));
    const expected = [`order:${id}:fulfil`, ...[1, 2, 3, 4, 5].map((n) => `order:${id}:refund:${n}`)];
    const keys = async (): Promise<string[]> =>
      (await t.api.get(DataSource).query(`SELECT idempotency_key FROM journal_entries WHERE order_id = $1 ORDER BY idempotency_key`, [id])).map(
        (r: any) => r.idempotency_key,
      );
    // Posting is background work, and the client's balance is 0.00 before the fulfilment is posted as after the
    // refunds: wait for the entries themselves, then for nothing more than them.
    await eventually(async () => (await keys()).length >= expected.length);
    expect(await keys()).toEqual(expected);
    await balanceBecomes(c, c.client.id, ['0.00', '0.00']);
  });

  it('a refund after a settlement shows in the next statement and its CSV', async () => {
    const c = await circles();
    const id = await fulfilled(c, 'gift-baskets', c.keys.supplier);
    await balanceBecomes(c, c.client.id, ['132.00', '0.00']);
    await t.ok(RUN, {}, c.op);
    await t.ok(PARTIAL, { id, amount: usd('30') }, c.op);
    await balanceBecomes(c, c.client.id, ['-33.00', '0.00']);
    const run = (await t.ok(RUN, {}, c.op)).runSettlement;
    const clientStatement = run.statements.find((s: any) => s.member.id === c.client.id);
    expect(clientStatement).toMatchObject({ purchases: usd('-30.00'), clientFees: usd('-3.00'), net: usd('33.00') });
    const csv: string = (await t.ok(CSV, { s: clientStatement.id }, c.op)).statementCsv;
    expect(csv).toContain(`${id},PURCHASE,'-30.00,USD`);
    expect(csv).toContain(`${id},CLIENT_FEE,'-3.00,USD`);
    const statements = (await t.ok(STATEMENTS, { m: c.client.id }, c.op)).statements;
    expect(statements.map((s: any) => s.net.amount).sort()).toEqual(['-132.00', '33.00']);
  });
});
