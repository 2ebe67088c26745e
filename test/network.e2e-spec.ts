import { TandemHarness } from './support/tandem';

const CREATE = `mutation($input: NetworkInput!) {
  createNetwork(input: $input) { operatorKey network { id name currency feeSchedule { clientFeeBps supplierFeeBps partnerShareBps partnerShareMonths offerTimeoutSeconds } } }
}`;
const NETWORK = `{ network { id name currency feeSchedule { clientFeeBps supplierFeeBps partnerShareBps partnerShareMonths offerTimeoutSeconds } } }`;
const UPDATE = `mutation($input: FeeScheduleInput!) { updateFeeSchedule(input: $input) { id feeSchedule { clientFeeBps supplierFeeBps partnerShareBps partnerShareMonths offerTimeoutSeconds } } }`;

describe('networks and keys', () => {
  let t: TandemHarness;
  beforeAll(async () => {
    t = await TandemHarness.start('network', { worker: false });
  });
  afterAll(() => t.stop());

  it('refuses a request without a key, or with an unknown one, as UNAUTHENTICATED', async () => {
    expect(await t.code(NETWORK)).toBe('UNAUTHENTICATED');
    expect(await t.code(NETWORK, {}, 'tnd_op_not-a-real-key')).toBe('UNAUTHENTICATED');
    expect(await t.code(CREATE, { input: { name: 'X', currency: 'USD' } })).toBe('UNAUTHENTICATED');
  });

  it('creates a network with the default fee schedule and a working operator key', async () => {
    const { createNetwork } = await t.ok(CREATE, { input: { name: 'Circles', currency: 'usd' } }, t.adminKey);
    expect(createNetwork.network).toMatchObject({
      name: 'Circles',
      currency: 'USD',
      feeSchedule: { clientFeeBps: 1000, supplierFeeBps: 500, partnerShareBps: 2000, partnerShareMonths: 12, offerTimeoutSeconds: 900 },
    });
    expect(createNetwork.operatorKey).toMatch(/^tnd_op_[A-Za-z0-9_-]{43}$/);
    const { network } = await t.ok(NETWORK, {}, createNetwork.operatorKey);
    expect(network.id).toBe(createNetwork.network.id);
  });

  it('gives FORBIDDEN to an operator calling createNetwork and to the admin key asking for a network', async () => {
    const { createNetwork } = await t.ok(CREATE, { input: { name: 'A', currency: 'EUR' } }, t.adminKey);
    expect(await t.code(CREATE, { input: { name: 'B', currency: 'EUR' } }, createNetwork.operatorKey)).toBe('FORBIDDEN');
    expect(await t.code(NETWORK, {}, t.adminKey)).toBe('FORBIDDEN');
  });

  it('keeps each operator inside its own network', async () => {
    const a = (await t.ok(CREATE, { input: { name: 'A', currency: 'USD', feeSchedule: { clientFeeBps: 700 } } }, t.adminKey)).createNetwork;
    const b = (await t.ok(CREATE, { input: { name: 'B', currency: 'JPY' } }, t.adminKey)).createNetwork;
    await t.ok(UPDATE, { input: { supplierFeeBps: 250 } }, a.operatorKey);
    const seenByB = (await t.ok(NETWORK, {}, b.operatorKey)).network;
    expect(seenByB).toMatchObject({ id: b.network.id, currency: 'JPY', feeSchedule: { clientFeeBps: 1000, supplierFeeBps: 500 } });
    const seenByA = (await t.ok(NETWORK, {}, a.operatorKey)).network;
    expect(seenByA.feeSchedule).toMatchObject({ clientFeeBps: 700, supplierFeeBps: 250, partnerShareBps: 2000 });
  });

  it.each([
    [{ name: 'X', currency: 'USD', feeSchedule: { clientFeeBps: 10001 } }],
    [{ name: 'X', currency: 'USD', feeSchedule: { supplierFeeBps: -1 } }],
    [{ name: 'X', currency: 'USD', feeSchedule: { partnerShareMonths: 121 } }],
    [{ name: 'X', currency: 'USD', feeSchedule: { offerTimeoutSeconds: 0 } }],
    [{ name: 'X', currency: 'USD', feeSchedule: { offerTimeoutSeconds: 86401 } }],
    [{ name: 'X', currency: 'XYZ' }],
    [{ name: '', currency: 'USD' }],
    [{ name: 'x'.repeat(201), currency: 'USD' }],
  ])('rejects an invalid network %j with BAD_USER_INPUT', async (input) => {
    expect(await t.code(CREATE, { input }, t.adminKey)).toBe('BAD_USER_INPUT');
  });

  it('rejects an invalid fee schedule update and changes nothing', async () => {
    const { createNetwork } = await t.ok(CREATE, { input: { name: 'Keep', currency: 'USD' } }, t.adminKey);
    const key = createNetwork.operatorKey;
    expect(await t.code(UPDATE, { input: { clientFeeBps: 500, partnerShareBps: 20000 } }, key)).toBe('BAD_USER_INPUT');
    expect((await t.ok(NETWORK, {}, key)).network.feeSchedule.clientFeeBps).toBe(1000);
  });

  it('treats absent and null fee fields as "leave as it is"', async () => {
    const { createNetwork } = await t.ok(CREATE, { input: { name: 'Merge', currency: 'USD' } }, t.adminKey);
    const r = await t.ok(UPDATE, { input: { clientFeeBps: 900, supplierFeeBps: null } }, createNetwork.operatorKey);
    expect(r.updateFeeSchedule.feeSchedule).toEqual({
      clientFeeBps: 900,
      supplierFeeBps: 500,
      partnerShareBps: 2000,
      partnerShareMonths: 12,
      offerTimeoutSeconds: 900,
    });
  });

  it('answers malformed variables and unparsable queries with the standard codes', async () => {
    expect(await t.code(UPDATE, { input: { clientFeeBps: 'ten' } }, t.adminKey)).toBe('BAD_USER_INPUT');
    expect(await t.code('{ network { ', {}, t.adminKey)).toBe('GRAPHQL_PARSE_FAILED');
    expect(await t.code('{ nope }', {}, t.adminKey)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('serves /health with PostgreSQL and the queue store up, and Prometheus metrics', async () => {
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
    // The queue store is named for what it is: Redis, or the queues on PostgreSQL.
    const store = t.config.queueStore === 'redis' ? 'redis' : 'queues';
    expect(await health.json()).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, [store]: { status: 'up' } } });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('tandem_graphql_operations_total');
  });

  it('refuses a body over 1 MB with 413 and batched requests', async () => {
    const big = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminKey}` },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
    const batch = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminKey}` },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(batch.status).toBe(400);
  });

  // The depth limit is tested on members and referrals in community.e2e-spec.ts ("query depth").
});
