import { DataSource } from 'typeorm';
import { encodeCursor } from '@tandem/common';
import { Q, buildCircles } from './support/community';
import { TandemHarness } from './support/tandem';

const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id deliverBy } }`;
const ORDERS = `query($after: String) { orders(first: 5, after: $after) { totalCount } }`;
const CANCEL = `mutation($id: ID!, $reason: String) { cancelOrder(orderId: $id, reason: $reason) { id status } }`;
const NETWORK = `mutation($input: NetworkInput!) { createNetwork(input: $input) { network { id } } }`;
const UUID = '3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let seq = 0;

describe('no input gives INTERNAL_SERVER_ERROR', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let ds: DataSource;
  beforeAll(async () => {
    // Input checks need no worker; a worker also made its teardown hang on the PostgreSQL queue store (see docs/security/money-and-input.md).
    t = await TandemHarness.start('hardening-input', { worker: false });
    c = await buildCircles(t);
    ds = t.api.get(DataSource);
  });
  afterAll(() => t.stop());

  const order = (over: Record<string, unknown> = {}) => ({
    category: 'gift-baskets',
    region: 'US-NY',
    quantity: 1,
    deliverBy: inDays(3),
    budget: { amount: '150', currency: 'USD' },
    idempotencyKey: `input-${++seq}`,
    ...over,
  });
  const count = async (table: string) => Number((await ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  describe('NUL bytes', () => {
    it.each([
      ['notes', { notes: 'gift\u0000wrap' }],
      ['idempotencyKey', { idempotencyKey: 'key\u0000' }],
    ])('in an order %s: BAD_USER_INPUT, nothing placed', async (field, over) => {
      const before = await count('orders');
      const r = await t.gql(PLACE, { input: order(over) }, c.keys.client);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await count('orders')).toBe(before);
    });

    it('in member and network names, vetting notes and cancel reasons: BAD_USER_INPUT, nothing changed', async () => {
      const members = await count('members');
      expect(await t.code(Q.registerMember, { input: { name: 'Grand\u0000Hotel', roles: ['CLIENT'] } }, c.op)).toBe('BAD_USER_INPUT');
      expect(await count('members')).toBe(members);
      const networks = await count('networks');
      expect(await t.code(NETWORK, { input: { name: 'Net\u0000', currency: 'USD' } }, t.adminKey)).toBe('BAD_USER_INPUT');
      expect(await count('networks')).toBe(networks);
      const vetting = await count('vetting_events');
      expect(await t.code(Q.setVettingStatus, { supplierId: c.newcomer.id, status: 'VETTED', note: 'ok\u0000' }, c.op)).toBe('BAD_USER_INPUT');
      expect(await count('vetting_events')).toBe(vetting);
      const { id } = (await t.ok(PLACE, { input: order() }, c.keys.client)).placeOrder;
      expect(await t.code(CANCEL, { id, reason: 'changed\u0000mind' }, c.keys.client)).toBe('BAD_USER_INPUT');
    });
  });

  it.each([
    ['zero-width spaces', '\u200b\u200b'],
    ['joiners and a word joiner', '\u200c\u200d\u2060'],
    ['a byte order mark and spaces', ' \ufeff '],
  ])('refuses a member name of only %s', async (_label, name) => {
    const before = await count('members');
    expect(await t.code(Q.registerMember, { input: { name, roles: ['CLIENT'] } }, c.op)).toBe('BAD_USER_INPUT');
    expect(await count('members')).toBe(before);
  });

  it.each([
    ['a date of year -271821', b64(`${new Date(-8.64e15).toISOString()}|${UUID}`)],
    ['an id above int64', b64('2026-03-01T10:00:00.000Z|9223372036854775808')],
    ['garbage base64', '%%%'],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0x00, 0x7c, 0xfe]).toString('base64url')],
  ])('refuses a cursor with %s as BAD_USER_INPUT', async (_label, after) => {
    expect(await t.code(ORDERS, { after }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(Q.members, { after }, c.op)).toBe('BAD_USER_INPUT');
  });

  it('refuses a bigint-keyed cursor (healthEvents) with a 19-digit id above int64 as BAD_USER_INPUT', async () => {
    const HEALTH_EVENTS = `query($after: String) { healthEvents(first: 5, after: $after) { totalCount } }`;
    expect(await t.code(HEALTH_EVENTS, { after: b64('2026-03-01T10:00:00.000Z|9999999999999999999') }, c.op)).toBe('BAD_USER_INPUT');
    expect(await t.code(HEALTH_EVENTS, { after: b64('2026-03-01T10:00:00.000Z|9223372036854775807') }, c.op)).toBeUndefined();
  });

  it('still pages with a real cursor', async () => {
    const after = encodeCursor({ createdAt: new Date('2000-01-01T00:00:00Z'), id: UUID });
    expect((await t.ok(ORDERS, { after }, c.op)).orders.totalCount).toBeGreaterThan(0);
  });

  it.each([
    ['after year 9999 in UTC', '9999-12-31T23:59:59-23:59'],
    ['before year 1 in UTC', '0001-01-01T00:00:00+00:01'],
  ])('refuses a deliverBy %s: BAD_USER_INPUT as a variable, a validation failure as a literal', async (_label, deliverBy) => {
    const before = await count('orders');
    expect(await t.code(PLACE, { input: order({ deliverBy }) }, c.keys.client)).toBe('BAD_USER_INPUT');
    const literal = `mutation { placeOrder(input: { category: "gift-baskets", region: "US-NY", quantity: 1, deliverBy: "${deliverBy}",
      budget: { amount: "150", currency: "USD" }, idempotencyKey: "literal-${++seq}" }) { id } }`;
    // A literal is checked while the document is validated, so Apollo's code applies (docs/api.md, "Errors").
    expect(await t.code(literal, {}, c.keys.client)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await count('orders')).toBe(before);
  });

  it('accepts the last instant of year 9999', async () => {
    const placed = (await t.ok(PLACE, { input: order({ deliverBy: '9999-12-31T23:59:59.999Z' }) }, c.keys.client)).placeOrder;
    expect(placed.deliverBy).toBe('9999-12-31T23:59:59.999Z');
  });
});
