import { Queue } from 'bullmq';
import { QUEUES, queueConnectionOptions } from '@tandem/jobs';
import { eventually } from '@tandem/testing';
import { buildCircles, createNetwork, issueKey, register } from './support/community';
import { TandemHarness } from './support/tandem';

const MONEY = 'amount currency';
const HEALTH = `query($id: ID!) { relationshipHealth(memberId: $id) {
  member { id name } score credibility reliability intimacy selfOrientation trust
  valueToMember { ${MONEY} } valueToHub { ${MONEY} } acquisitionCostPerOrder { ${MONEY} } acquisitionBaseline { ${MONEY} }
  atRisk signals windowDays computedAt
  measures { ordersFulfilled fulfilledOnTime offersAccepted earnedBusiness { ${MONEY} } supplierFees { ${MONEY} } partnerSharesOnItsFees { ${MONEY} } takeNormSource }
} }`;
const BASELINE = `mutation($id: ID!, $amount: MoneyInput!) { setAcquisitionBaseline(memberId: $id, amount: $amount) { member { id } acquisitionBaseline { ${MONEY} } } }`;
const HISTORY = `query($id: ID!, $first: Int) { healthHistory(memberId: $id, first: $first) { computedAt score credibility atRisk valueToMember { ${MONEY} } } }`;
const EVENTS = `query($first: Int, $after: String) { healthEvents(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id member { id } at atRisk score reason } } } }`;
const SETTINGS = `{ healthSettings { windowDays atRiskScore sharpDrop dropLookbackDays idleDays } }`;
const UPDATE_SETTINGS = `mutation($input: HealthSettingsInput!) { updateHealthSettings(input: $input) { windowDays atRiskScore sharpDrop dropLookbackDays idleDays } }`;
const INSIGHT = `query($months: Int) { networkInsight(months: $months) {
  months
  membership { month role joined lost net }
  cohorts { month joined retained retention }
  acquisitionVsRetention { membersAtStart acquired lost net eroding summary }
  powerBalance(top: 2) { category orders business { ${MONEY} } suppliers topSupplierShare topShare concentration topSuppliers { supplier { id name } orders share business { ${MONEY} } } }
} }`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOrder(orderId: $id) { id status } }`;
const FULFIL = `mutation($id: ID!) { fulfilOrder(orderId: $id) { id status } }`;

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

describe('relationship health over HTTP', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  beforeAll(async () => {
    t = await TandemHarness.start('health');
    c = await buildCircles(t);
  });
  afterAll(() => t.stop());

  const health = async (id: string, key = c.op) => (await t.ok(HEALTH, { id }, key)).relationshipHealth;

  it('gives a member without activity neutral parts, score 50 and a signal saying so', async () => {
    const h = await health(c.newcomer.id);
    expect(h).toMatchObject({
      member: { id: c.newcomer.id, name: 'New Baskets' },
      score: 50,
      credibility: 5,
      reliability: 5,
      intimacy: 5,
      selfOrientation: 5,
      trust: 3,
      valueToMember: { amount: '0.00', currency: 'USD' },
      valueToHub: { amount: '0.00', currency: 'USD' },
      acquisitionCostPerOrder: null,
      acquisitionBaseline: null,
      atRisk: false,
      signals: ['No activity in the last 90 days: every part is neutral (5).'],
      windowDays: 90,
    });
  });

  it('lets a member see its own health and the operator everyone’s; nobody else', async () => {
    expect((await health(c.client.id, c.keys.client)).member.id).toBe(c.client.id);
    expect((await health(c.supplier.id, c.keys.supplier)).member.id).toBe(c.supplier.id);
    expect((await health(c.client.id, c.op)).member.id).toBe(c.client.id);
    // Another member's id, even for the partner that referred it: NOT_FOUND.
    expect(await t.code(HEALTH, { id: c.supplier.id }, c.keys.client)).toBe('NOT_FOUND');
    expect(await t.code(HEALTH, { id: c.client.id }, c.keys.p1)).toBe('NOT_FOUND');
    expect(await t.code(HEALTH, { id: NO_SUCH_ID }, c.op)).toBe('NOT_FOUND');
    expect(await t.code(HEALTH, { id: 'not-a-uuid' }, c.op)).toBe('NOT_FOUND');
    const other = await createNetwork(t, 'Elsewhere');
    expect(await t.code(HEALTH, { id: c.client.id }, other.op)).toBe('NOT_FOUND');
    expect(await t.code(HEALTH, { id: c.client.id }, t.adminKey)).toBe('FORBIDDEN');
    expect(await t.code(HEALTH, { id: c.client.id })).toBe('UNAUTHENTICATED');
  });

  it('sets an acquisition baseline for the member itself or by the operator, in the network currency', async () => {
    const set = (id: string, amount: unknown, key: string) => t.gql(BASELINE, { id, amount }, key);
    expect((await set(c.florist.id, { amount: '100', currency: 'usd' }, c.keys.florist)).data.setAcquisitionBaseline).toEqual({
      member: { id: c.florist.id },
      acquisitionBaseline: { amount: '100.00', currency: 'USD' },
    });
    expect(
      (await t.ok(BASELINE, { id: c.florist.id, amount: { amount: '80.5', currency: 'USD' } }, c.op)).setAcquisitionBaseline.acquisitionBaseline.amount,
    ).toBe('80.50');
    expect(await t.code(BASELINE, { id: c.florist.id, amount: { amount: '1', currency: 'USD' } }, c.keys.supplier)).toBe('NOT_FOUND');
    expect(await t.code(BASELINE, { id: c.florist.id, amount: { amount: '1', currency: 'EUR' } }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(BASELINE, { id: c.florist.id, amount: { amount: '-1', currency: 'USD' } }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(BASELINE, { id: c.florist.id, amount: { amount: '1.001', currency: 'USD' } }, c.op)).toBe('BAD_USER_INPUT');
    // Out of reach comes before bad input.
    expect(await t.code(BASELINE, { id: c.florist.id, amount: { amount: '-1', currency: 'EUR' } }, c.keys.client)).toBe('NOT_FOUND');
    expect(await t.code(BASELINE, { id: c.florist.id, amount: { amount: '1', currency: 'USD' } }, t.adminKey)).toBe('FORBIDDEN');
    // A rejected request changed nothing.
    expect((await health(c.florist.id)).acquisitionBaseline).toEqual({ amount: '80.50', currency: 'USD' });
  });

  it('reflects a fulfilled order within 5 seconds, from the postings', async () => {
    const before = await health(c.supplier.id);
    expect(before.measures.ordersFulfilled).toBe(0);
    const { placeOrder } = await t.ok(
      PLACE,
      {
        input: {
          category: 'gift-baskets',
          region: 'US-NY',
          quantity: 1,
          deliverBy: inDays(3),
          budget: { amount: '150', currency: 'USD' },
          idempotencyKey: 'health-1',
        },
      },
      c.keys.client,
    );
    await eventually(async () => {
      const o = (await t.ok(ORDER, { id: placeOrder.id }, c.op)).order;
      return o.status === 'OFFERED' && o.supplier?.id === c.supplier.id;
    });
    await t.ok(ACCEPT, { id: placeOrder.id }, c.keys.supplier);
    await t.ok(FULFIL, { id: placeOrder.id }, c.keys.supplier);
    const fulfilledAt = Date.now();
    // docs/api.md's worked example: 120.00, supplier fee 6.00 of which P2 earns 1.20, client fee 12.00 of which P1 earns 2.40.
    const after = await eventually(async () => {
      const h = await health(c.supplier.id, c.keys.supplier);
      return h.valueToMember.amount === '114.00' && h;
    }, 5000);
    expect(Date.now() - fulfilledAt).toBeLessThan(5000);
    expect(after).toMatchObject({
      valueToHub: { amount: '4.80', currency: 'USD' },
      acquisitionCostPerOrder: { amount: '6.00', currency: 'USD' },
      measures: {
        ordersFulfilled: 1,
        fulfilledOnTime: 1,
        offersAccepted: 1,
        earnedBusiness: { amount: '120.00', currency: 'USD' },
        supplierFees: { amount: '6.00', currency: 'USD' },
        partnerSharesOnItsFees: { amount: '1.20', currency: 'USD' },
        takeNormSource: 'NETWORK',
      },
    });
    expect(after.signals).not.toContain('No activity in the last 90 days: every part is neutral (5).');
    expect(after.credibility).toBe(9);
    const client = await health(c.client.id, c.keys.client);
    expect(client).toMatchObject({ valueToMember: { amount: '120.00' }, valueToHub: { amount: '9.60' }, acquisitionCostPerOrder: null });
    expect((await health(c.p2.id)).valueToMember).toEqual({ amount: '1.20', currency: 'USD' });
    expect((await health(c.p1.id)).valueToMember).toEqual({ amount: '2.40', currency: 'USD' });
  });

  it('snapshots health through the worker job and shows the history to the member and the operator', async () => {
    const queue = new Queue(QUEUES.health, queueConnectionOptions(t.config));
    try {
      // The worker registered the 15-minute job scheduler at bootstrap.
      expect(Number((await queue.getJobScheduler('snapshot-health'))?.every)).toBe(15 * 60_000);
      await queue.add('snapshot-health', { networkId: c.networkId });
      const history = await eventually(async () => {
        const list = (await t.ok(HISTORY, { id: c.supplier.id }, c.keys.supplier)).healthHistory;
        return list.length > 0 && list;
      }, 10_000);
      const live = await health(c.supplier.id);
      expect(history[0]).toMatchObject({
        score: live.score,
        credibility: live.credibility,
        atRisk: false,
        valueToMember: { amount: '114.00', currency: 'USD' },
      });
      expect((await t.ok(HISTORY, { id: c.supplier.id, first: 5 }, c.op)).healthHistory.length).toBeGreaterThan(0);
      expect(await t.code(HISTORY, { id: c.supplier.id }, c.keys.client)).toBe('NOT_FOUND');
      expect(await t.code(HISTORY, { id: c.supplier.id, first: 1001 }, c.op)).toBe('BAD_USER_INPUT');
    } finally {
      await queue.close();
    }
  });

  it('lists at-risk events for the operator only', async () => {
    const r = await t.ok(EVENTS, { first: 10 }, c.op);
    expect(r.healthEvents).toMatchObject({ pageInfo: { hasNextPage: false } });
    expect(r.healthEvents.totalCount).toBe(r.healthEvents.edges.length);
    expect(await t.code(EVENTS, { first: 10 }, c.keys.supplier)).toBe('FORBIDDEN');
    expect(await t.code(EVENTS, { first: 10 }, t.adminKey)).toBe('FORBIDDEN');
    expect(await t.code(EVENTS, { first: 500 }, c.op)).toBe('BAD_USER_INPUT');
  });

  it('lets the operator read and change the health settings', async () => {
    const net = await createNetwork(t, 'Settings');
    expect((await t.ok(SETTINGS, {}, net.op)).healthSettings).toEqual({ windowDays: 90, atRiskScore: 40, sharpDrop: 15, dropLookbackDays: 7, idleDays: 90 });
    expect((await t.ok(UPDATE_SETTINGS, { input: { windowDays: 30, atRiskScore: null } }, net.op)).updateHealthSettings).toMatchObject({
      windowDays: 30,
      atRiskScore: 40,
    });
    expect(await t.code(UPDATE_SETTINGS, { input: { windowDays: 1 } }, net.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(SETTINGS, {}, c.keys.client)).toBe('FORBIDDEN');
    const m = await register(t, net.op, 'Solo', ['CLIENT']);
    const key = await issueKey(t, net.op, m.id);
    expect((await health(m.id, key)).windowDays).toBe(30);
    expect((await health(m.id, key)).signals).toEqual(['No activity in the last 30 days: every part is neutral (5).']);
  });

  it('gives the operator the network insight', async () => {
    const { networkInsight } = await t.ok(INSIGHT, { months: 3 }, c.op);
    expect(networkInsight.months).toBe(3);
    expect(networkInsight.membership).toHaveLength(9);
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect(networkInsight.membership.filter((r: any) => r.month === thisMonth)).toEqual([
      { month: thisMonth, role: 'CLIENT', joined: 2, lost: 0, net: 2 },
      { month: thisMonth, role: 'SUPPLIER', joined: 3, lost: 0, net: 3 },
      { month: thisMonth, role: 'PARTNER', joined: 2, lost: 0, net: 2 },
    ]);
    expect(networkInsight.cohorts.at(-1)).toEqual({ month: thisMonth, joined: 6, retained: 6, retention: 1 });
    expect(networkInsight.acquisitionVsRetention).toMatchObject({ membersAtStart: 0, acquired: 6, lost: 0, net: 6, eroding: false });
    expect(networkInsight.powerBalance).toEqual([
      {
        category: 'gift-baskets',
        orders: 1,
        business: { amount: '120.00', currency: 'USD' },
        suppliers: 1,
        topSupplierShare: 1,
        topShare: 1,
        concentration: 1,
        topSuppliers: [{ supplier: { id: c.supplier.id, name: 'Basket & Co' }, orders: 1, share: 1, business: { amount: '120.00', currency: 'USD' } }],
      },
    ]);
    expect(await t.code(INSIGHT, {}, c.keys.client)).toBe('FORBIDDEN');
    expect(await t.code(INSIGHT, { months: 0 }, c.op)).toBe('BAD_USER_INPUT');
  });
});
