import { DataSource } from 'typeorm';
import { postingsParked } from '@tandem/observability';
import { SettlementAuditService } from '@tandem/settlement';
import { eventually } from '@tandem/testing';
import { Q, buildCircles } from './support/community';
import { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id status budget { ${MONEY} } } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;
const BALANCE = `query($m: ID!) { balance(memberId: $m, currency: "USD") { owedToHub { ${MONEY} } owedByHub { ${MONEY} } } }`;
const PARKED = `{ parkedPostings { orderId step reason message attempts parkedAt } }`;
const RETRY = `mutation($id: ID!) { retryPosting(orderId: $id) { orderId posted problem { reason step } } }`;
const CAPABILITIES = `query($id: ID!) { member(id: $id) { capabilities { id unitPrice { ${MONEY} } } } }`;

const INT64_PRICE = '92233720368547758.07';
const MAX = '100000000000.00';
const ABOVE_MAX = '100000000000.01';
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let seq = 0;

describe('no amount can break the ledger', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let ds: DataSource;
  beforeAll(async () => {
    t = await TandemHarness.start('hardening-money');
    c = await buildCircles(t);
    ds = t.api.get(DataSource);
  });
  afterAll(async () => {
    expect(await t.api.get(SettlementAuditService).audit(c.networkId)).toEqual([]);
    await t.stop();
  });

  const capability = (amount: string, category: string) => ({
    supplierId: c.newcomer.id,
    category,
    regions: ['US-NY'],
    dailyCapacity: 5,
    leadTimeHours: 1,
    unitPrice: { amount, currency: 'USD' },
  });
  const capabilityCount = async () => (await t.ok(CAPABILITIES, { id: c.newcomer.id }, c.op)).member.capabilities.length;
  const order = (amount: string, over: Record<string, unknown> = {}) => ({
    category: 'gift-baskets',
    region: 'US-NY',
    quantity: 1,
    deliverBy: inDays(3),
    budget: { amount, currency: 'USD' },
    idempotencyKey: `money-${++seq}`,
    ...over,
  });

  it('refuses the int64 unit price at addCapability with BAD_USER_INPUT and creates nothing', async () => {
    const before = await capabilityCount();
    const r = await t.gql(Q.addCapability, { input: capability(INT64_PRICE, 'int64') }, c.op);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.field).toBe('unitPrice.amount');
    expect(await capabilityCount()).toBe(before);
  });

  it('accepts exactly the maximum unit price and refuses one minor unit more, on add and update', async () => {
    expect(await t.code(Q.addCapability, { input: capability(ABOVE_MAX, 'edge-above') }, c.op)).toBe('BAD_USER_INPUT');
    const added = (await t.ok(Q.addCapability, { input: capability(MAX, 'edge') }, c.op)).addCapability;
    expect(added.unitPrice).toEqual({ amount: MAX, currency: 'USD' });
    expect(await t.code(Q.updateCapability, { id: added.id, input: { unitPrice: { amount: ABOVE_MAX, currency: 'USD' } } }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(Q.updateCapability, { id: added.id, input: { unitPrice: { amount: '12345678901234567890', currency: 'USD' } } }, c.op)).toBe(
      'BAD_USER_INPUT',
    );
    expect((await t.ok(CAPABILITIES, { id: c.newcomer.id }, c.op)).member.capabilities.find((x: { id: string }) => x.id === added.id).unitPrice).toEqual({
      amount: MAX,
      currency: 'USD',
    });
  });

  it.each(['12345678901234567890', '99999999999999999999.99', INT64_PRICE, ABOVE_MAX])(
    'refuses the budget %s with BAD_USER_INPUT, never INTERNAL_SERVER_ERROR, and places nothing',
    async (amount) => {
      const key = `money-${++seq}`;
      expect(await t.code(PLACE, { input: order(amount, { idempotencyKey: key }) }, c.keys.client)).toBe('BAD_USER_INPUT');
      expect(await ds.query(`SELECT 1 FROM orders WHERE idempotency_key = $1`, [key])).toEqual([]);
    },
  );

  it('accepts a budget of exactly the maximum', async () => {
    const placed = (await t.ok(PLACE, { input: order(MAX) }, c.keys.client)).placeOrder;
    expect(placed.budget).toEqual({ amount: MAX, currency: 'USD' });
  });

  it('a fulfilment whose posting cannot succeed is parked, shown to the operator, and posted by retryPosting once fixed', async () => {
    const { id } = (await t.ok(PLACE, { input: order('150') }, c.keys.client)).placeOrder;
    await eventually(async () => (await t.ok(ORDER, { id }, c.op)).order.status === 'OFFERED');
    await t.ok(ACCEPT, { id }, c.keys.supplier);
    // An order accepted before amounts were bounded (as on the reviewed instance): its breakdown overflows bigint.
    const [sane] = await ds.query(`SELECT price_minor::text AS price, client_fee_minor::text AS fee FROM order_fees WHERE order_id = $1`, [id]);
    await ds.query(`UPDATE order_fees SET price_minor = 9223372036854775807, client_fee_minor = 922337203685477581 WHERE order_id = $1`, [id]);
    expect((await t.ok(FULFIL, { id }, c.keys.supplier)).fulfilOrder.status).toBe('FULFILLED');

    const parked = await eventually(async () => {
      const list = (await t.ok(PARKED, {}, c.op)).parkedPostings;
      return list.find((p: { orderId: string }) => p.orderId === id);
    });
    expect(parked).toMatchObject({ step: 'FULFILMENT', reason: 'AMOUNT_OUT_OF_RANGE', attempts: 1 });
    expect(parked.message).not.toMatch(/INSERT|SELECT|\$1/);
    expect(await ds.query(`SELECT 1 FROM journal_entries WHERE order_id = $1`, [id])).toEqual([]);
    // The alert: the counter (API and worker share this process's registry in the harness).
    const counted = (await postingsParked.get()).values.find((v) => v.labels.step === 'FULFILMENT' && v.labels.reason === 'AMOUNT_OUT_OF_RANGE');
    expect(counted?.value).toBeGreaterThanOrEqual(1);

    // Only the operator lists and retries; a member's key is FORBIDDEN.
    expect(await t.code(PARKED, {}, c.keys.client)).toBe('FORBIDDEN');
    // The order itself says so, to whoever reaches it.
    const PROBLEM = `query($id: ID!) { order(id: $id) { postingProblem { step reason } } }`;
    expect((await t.ok(PROBLEM, { id }, c.keys.client)).order.postingProblem).toEqual({ step: 'FULFILMENT', reason: 'AMOUNT_OUT_OF_RANGE' });
    expect(await t.code(RETRY, { id }, c.keys.supplier)).toBe('FORBIDDEN');
    expect(await t.code(RETRY, { id: '00000000-0000-4000-8000-000000000000' }, c.op)).toBe('NOT_FOUND');

    // Still broken: parked again. Fixed: posted, and the balance shows it.
    expect((await t.ok(RETRY, { id }, c.op)).retryPosting).toEqual({
      orderId: id,
      posted: false,
      problem: { reason: 'AMOUNT_OUT_OF_RANGE', step: 'FULFILMENT' },
    });
    await ds.query(`UPDATE order_fees SET price_minor = $2, client_fee_minor = $3 WHERE order_id = $1`, [id, sane.price, sane.fee]);
    expect((await t.ok(RETRY, { id }, c.op)).retryPosting).toEqual({ orderId: id, posted: true, problem: null });
    expect((await t.ok(PARKED, {}, c.op)).parkedPostings).toEqual([]);
    expect((await t.ok(`query($id: ID!) { order(id: $id) { postingProblem { step } } }`, { id }, c.op)).order.postingProblem).toBeNull();
    expect(await t.code(RETRY, { id }, c.op)).toBe('BAD_USER_INPUT');
    expect((await t.ok(BALANCE, { m: c.client.id }, c.op)).balance.owedToHub).toEqual({ amount: '132.00', currency: 'USD' });
  });
});
