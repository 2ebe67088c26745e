import { eventually } from '@tandem/testing';
import { Q, createNetwork, issueKey, register, vet } from './support/community';
import { TandemHarness } from './support/tandem';

const REACH = `query($memberId: ID!, $input: CapabilityReachInput!) {
  capabilityReach(memberId: $memberId, input: $input) {
    windowDays orders eligible eligibleAtAnyPrice excluded { reason orders } unitPrice { amount currency }
  }
}`;
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const STATUS = `query($id: ID!) { order(id: $id) { status supplier { id } } }`;

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
let keySeq = 0;

describe('capabilityReach: what a capability, or an edit of it, would have been eligible for', () => {
  let t: TandemHarness;
  let op: string;
  let bakery: { id: string; key: string; capabilityId: string };
  let rival: { id: string; key: string; capabilityId: string };
  let unvetted: { id: string };
  let clientKey: string;

  async function supplier(name: string, roles: ('SUPPLIER' | 'CLIENT')[], cap: { price: string; regions: string[]; leadTimeHours: number }, vetted = true) {
    const m = await register(t, op, name, roles);
    if (vetted) await vet(t, op, m.id);
    const { addCapability } = await t.ok(
      Q.addCapability,
      {
        input: {
          supplierId: m.id,
          category: 'cakes',
          dailyCapacity: 10,
          unitPrice: { amount: cap.price, currency: 'USD' },
          regions: cap.regions,
          leadTimeHours: cap.leadTimeHours,
        },
      },
      op,
    );
    return { id: m.id, key: await issueKey(t, op, m.id), capabilityId: addCapability.id as string };
  }

  function place(key: string, over: Record<string, unknown>) {
    const input = {
      category: 'cakes',
      region: 'US-NY',
      quantity: 1,
      deliverBy: inHours(72),
      budget: { amount: '150', currency: 'USD' },
      idempotencyKey: `reach-${++keySeq}`,
      ...over,
    };
    return t.ok(PLACE, { input }, key);
  }

  const reach = (memberId: string, input: Record<string, unknown>, key = op) => t.gql(REACH, { memberId, input }, key);
  async function reachOk(memberId: string, input: Record<string, unknown>, key = op) {
    const r = await reach(memberId, input, key);
    if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
    return r.data.capabilityReach;
  }

  beforeAll(async () => {
    t = await TandemHarness.start('capability-reach');
    op = (await createNetwork(t, 'Reach', 'USD')).op;
    // The bakery also buys (so one order is its own: SELF); the rival takes whatever the bakery cannot.
    bakery = await supplier('Bakery', ['SUPPLIER', 'CLIENT'], { price: '100', regions: ['US-NY'], leadTimeHours: 24 });
    rival = await supplier('Rival', ['SUPPLIER'], { price: '60', regions: ['US-NY', 'US-CA'], leadTimeHours: 1 });
    unvetted = await supplier('Unvetted', ['SUPPLIER'], { price: '50', regions: ['US-NY'], leadTimeHours: 1 }, false);
    const client = await register(t, op, 'Hotel', ['CLIENT']);
    clientKey = await issueKey(t, op, client.id);

    await place(clientKey, {}); // 100 fits: eligible
    await place(clientKey, { quantity: 2 }); // 200 > 150: over budget at 100, eligible at 70
    await place(clientKey, { region: 'US-CA' }); // not a bakery region
    await place(clientKey, { deliverBy: inHours(12) }); // due sooner than the 24 h lead time
    await place(clientKey, { budget: { amount: '90', currency: 'USD' } }); // 100 > 90
    await place(bakery.key, {}); // the bakery's own order
    await place(clientKey, { category: 'flowers' }); // another category: not counted
  });
  afterAll(() => t.stop());

  it("counts the existing capability's reach with the first reason of every order it missed", async () => {
    expect(await reachOk(bakery.id, { capabilityId: bakery.capabilityId })).toEqual({
      windowDays: 30,
      orders: 6,
      eligible: 1,
      eligibleAtAnyPrice: 3,
      excluded: [
        { reason: 'REGION', orders: 1 },
        { reason: 'OVER_BUDGET', orders: 2 },
        { reason: 'LEAD_TIME', orders: 1 },
        { reason: 'SELF', orders: 1 },
      ],
      unitPrice: { amount: '100.00', currency: 'USD' },
    });
  });

  it('tries an edit (price, regions, lead time) without saving it', async () => {
    const edit = { capabilityId: bakery.capabilityId, unitPrice: { amount: '70', currency: 'usd' }, regions: ['us-ny', ' us-ca '], leadTimeHours: 6 };
    expect(await reachOk(bakery.id, edit, bakery.key)).toEqual({
      windowDays: 30,
      orders: 6,
      eligible: 5,
      eligibleAtAnyPrice: 5,
      excluded: [{ reason: 'SELF', orders: 1 }],
      unitPrice: { amount: '70.00', currency: 'USD' },
    });
    // 80 × 2 = 160 is over the 150 budget again; the other orders stay in.
    const at80 = await reachOk(bakery.id, { ...edit, unitPrice: { amount: '80.00', currency: 'USD' } }, bakery.key);
    expect([at80.eligible, at80.eligibleAtAnyPrice, at80.excluded]).toEqual([
      4,
      5,
      [
        { reason: 'OVER_BUDGET', orders: 1 },
        { reason: 'SELF', orders: 1 },
      ],
    ]);
    // A currency other than the orders' excludes every one before anything else.
    const inEuro = await reachOk(bakery.id, { ...edit, unitPrice: { amount: '70', currency: 'EUR' } }, bakery.key);
    expect([inEuro.eligible, inEuro.excluded]).toEqual([0, [{ reason: 'CURRENCY', orders: 6 }]]);

    // Nothing was saved.
    const { member } = await t.ok(Q.member, { id: bakery.id }, op);
    expect(member.capabilities.map((c: any) => [c.unitPrice.amount, c.regions, c.leadTimeHours])).toEqual([['100.00', ['US-NY'], 24]]);
  });

  it('tries a new capability, and a supplier not yet vetted reaches nothing', async () => {
    const flowers = { category: ' Flowers ', regions: ['US-NY'], dailyCapacity: 3, leadTimeHours: 2, unitPrice: { amount: '40', currency: 'USD' } };
    expect(await reachOk(bakery.id, flowers, bakery.key)).toEqual({
      windowDays: 30,
      orders: 1,
      eligible: 1,
      eligibleAtAnyPrice: 1,
      excluded: [],
      unitPrice: { amount: '40.00', currency: 'USD' },
    });
    const theirs = await reachOk(unvetted.id, { capabilityId: undefined, ...flowers, category: 'cakes' });
    expect([theirs.orders, theirs.eligible, theirs.eligibleAtAnyPrice, theirs.excluded]).toEqual([6, 0, 0, [{ reason: 'NOT_VETTED', orders: 6 }]]);
  });

  it("does not count an order's own unit of capacity against it: a full day excludes only the orders after it", async () => {
    const m = await register(t, op, 'Tiny Pies', ['SUPPLIER']);
    await vet(t, op, m.id);
    const { addCapability } = await t.ok(
      Q.addCapability,
      { input: { supplierId: m.id, category: 'pies', regions: ['US-NY'], dailyCapacity: 1, leadTimeHours: 1, unitPrice: { amount: '10', currency: 'USD' } } },
      op,
    );
    // Both due the same day: the first takes Tiny's one unit, the second finds the day full.
    const deliverBy = inHours(72);
    const first = (await place(clientKey, { category: 'pies', deliverBy })).placeOrder.id;
    await eventually(async () => (await t.ok(STATUS, { id: first }, op)).order.status === 'OFFERED');
    expect((await t.ok(STATUS, { id: first }, op)).order.supplier.id).toBe(m.id);
    const second = (await place(clientKey, { category: 'pies', deliverBy })).placeOrder.id;
    await eventually(async () => (await t.ok(STATUS, { id: second }, op)).order.status === 'UNROUTABLE');

    const reached = await reachOk(m.id, { capabilityId: addCapability.id });
    expect([reached.orders, reached.eligible, reached.excluded]).toEqual([2, 1, [{ reason: 'CAPACITY', orders: 1 }]]);
    // With room for two a day, both fit.
    const roomier = await reachOk(m.id, { capabilityId: addCapability.id, dailyCapacity: 2 });
    expect([roomier.orders, roomier.eligible, roomier.excluded]).toEqual([2, 2, []]);
  });

  it('validates the tried capability as addCapability and updateCapability do', async () => {
    const bad = async (input: Record<string, unknown>) => {
      const r = await reach(bakery.id, input, bakery.key);
      return [r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.field];
    };
    expect(await bad({ capabilityId: bakery.capabilityId, unitPrice: { amount: '0', currency: 'USD' } })).toEqual(['BAD_USER_INPUT', 'unitPrice']);
    expect(await bad({ capabilityId: bakery.capabilityId, unitPrice: { amount: '1.005', currency: 'USD' } })).toEqual(['BAD_USER_INPUT', 'unitPrice.amount']);
    expect(await bad({ capabilityId: bakery.capabilityId, regions: [] })).toEqual(['BAD_USER_INPUT', 'regions']);
    expect(await bad({ capabilityId: bakery.capabilityId, leadTimeHours: -1 })).toEqual(['BAD_USER_INPUT', 'leadTimeHours']);
    expect(await bad({ capabilityId: bakery.capabilityId, dailyCapacity: 0 })).toEqual(['BAD_USER_INPUT', 'dailyCapacity']);
    expect(await bad({ category: 'cakes', dailyCapacity: 1, leadTimeHours: 1, unitPrice: { amount: '5', currency: 'USD' } })).toEqual([
      'BAD_USER_INPUT',
      'regions',
    ]);
    // The operator naming a member that is no supplier.
    const client = await register(t, op, 'Another Hotel', ['CLIENT']);
    expect((await reach(client.id, { capabilityId: bakery.capabilityId })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reaches the supplier itself and the operator only', async () => {
    const code = async (memberId: string, input: Record<string, unknown>, key: string) => (await reach(memberId, input, key)).errors?.[0]?.extensions?.code;
    const own = { capabilityId: bakery.capabilityId };
    // Another supplier: the bakery is out of its reach, as if it did not exist.
    expect(await code(bakery.id, own, rival.key)).toBe('NOT_FOUND');
    // The bakery asking about the rival's capability as if it were its own.
    expect(await code(bakery.id, { capabilityId: rival.capabilityId }, bakery.key)).toBe('NOT_FOUND');
    expect(await code(bakery.id, { capabilityId: '00000000-0000-4000-8000-000000000000' }, op)).toBe('NOT_FOUND');
    expect(await code('00000000-0000-4000-8000-000000000000', own, op)).toBe('NOT_FOUND');
    expect(await code('not-an-id', own, op)).toBe('NOT_FOUND');
    expect(await code(bakery.id, { capabilityId: 'not-an-id' }, op)).toBe('NOT_FOUND');
    // A client key may never ask; neither may the admin key.
    expect(await code(bakery.id, own, clientKey)).toBe('FORBIDDEN');
    expect(await code(bakery.id, own, t.adminKey)).toBe('FORBIDDEN');
    // Another network's operator.
    const other = await createNetwork(t, 'Elsewhere', 'USD');
    expect(await code(bakery.id, own, other.op)).toBe('NOT_FOUND');
    expect(await code(bakery.id, own, 'not-a-key')).toBe('UNAUTHENTICATED');
  });
});
