import { TandemHarness } from './support/tandem';
import { TERMS_FIELDS, createNetwork, issueKey, register, vet } from './support/community';

// Beyond the contract, for hubs of thousands of members: a server-side member search and
// filters (so the portal never loads every member), and fee overrides that can be cleared.
const MEMBERS = `query($role: Role, $search: String, $vettingStatus: VettingStatus, $first: Int, $after: String) {
  members(role: $role, search: $search, vettingStatus: $vettingStatus, first: $first, after: $after) {
    totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor }
  }
}`;
const SET_TERMS = `mutation($memberId: ID!, $input: FeeScheduleInput!) { setMemberTerms(memberId: $memberId, input: $input) { terms { ${TERMS_FIELDS} } } }`;
const CLEAR_TERMS = `mutation($memberId: ID!, $fields: [FeeTermField!]) { clearMemberTerms(memberId: $memberId, fields: $fields) { terms { ${TERMS_FIELDS} } } }`;
const HISTORY = `query($memberId: ID!) { feeTermHistory(memberId: $memberId) { overrides { ${TERMS_FIELDS} } } }`;
const DEFAULT_TERMS = { clientFeeBps: 1000, supplierFeeBps: 500, partnerShareBps: 2000, partnerShareMonths: 12, offerTimeoutSeconds: 900 };

describe('members at scale: search, filters and clearable fee overrides', () => {
  let t: TandemHarness;
  beforeAll(async () => {
    t = await TandemHarness.start('members-at-scale', { worker: false });
  });
  afterAll(() => t.stop());

  const names = (r: { members: { edges: { node: { name: string } }[] } }) => r.members.edges.map((e) => e.node.name);

  it('finds members by any part of the name, any case, with wildcards taken literally, and counts the filtered set', async () => {
    const { op } = await createNetwork(t, 'Search');
    for (const name of ['Bloom & Co', 'Blossom 100%', 'Gloom_works', 'Grand Hotel']) await register(t, op, name, ['CLIENT']);
    expect(names(await t.ok(MEMBERS, { search: 'LOOM' }, op))).toEqual(['Bloom & Co', 'Gloom_works']);
    expect((await t.ok(MEMBERS, { search: ' loom ' }, op)).members.totalCount).toBe(2);
    expect(names(await t.ok(MEMBERS, { search: '100%' }, op))).toEqual(['Blossom 100%']);
    expect(names(await t.ok(MEMBERS, { search: '%' }, op))).toEqual(['Blossom 100%']);
    expect(names(await t.ok(MEMBERS, { search: '_' }, op))).toEqual(['Gloom_works']);
    expect((await t.ok(MEMBERS, { search: '' }, op)).members.totalCount).toBe(4);
    expect(await t.code(MEMBERS, { search: 'x'.repeat(201) }, op)).toBe('BAD_USER_INPUT');
  });

  it('pages through a search with cursors, and combines it with role and vetting status', async () => {
    const { op } = await createNetwork(t, 'Filters');
    const suppliers = [];
    for (const n of ['Rose One', 'Rose Two', 'Rose Three', 'Tulip']) suppliers.push(await register(t, op, n, ['SUPPLIER']));
    await register(t, op, 'Rose Client', ['CLIENT']);
    await vet(t, op, suppliers[0].id);
    await vet(t, op, suppliers[2].id);
    await vet(t, op, suppliers[3].id);

    const first = (await t.ok(MEMBERS, { search: 'rose', role: 'SUPPLIER', first: 2 }, op)).members;
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e: any) => e.node.name)).toEqual(['Rose One', 'Rose Two']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await t.ok(MEMBERS, { search: 'rose', role: 'SUPPLIER', first: 2, after: first.pageInfo.endCursor }, op)).members;
    expect(second.edges.map((e: any) => e.node.name)).toEqual(['Rose Three']);
    expect(second.pageInfo.hasNextPage).toBe(false);

    expect(names(await t.ok(MEMBERS, { search: 'rose', vettingStatus: 'VETTED' }, op))).toEqual(['Rose One', 'Rose Three']);
    expect(names(await t.ok(MEMBERS, { vettingStatus: 'APPLIED' }, op))).toEqual(['Rose Two']);
    expect(await t.code(MEMBERS, { vettingStatus: 'SLEEPY' }, op)).toBe('BAD_USER_INPUT');
  });

  it("keeps a member key's search inside what it may see", async () => {
    const { op } = await createNetwork(t, 'Reach');
    const client = await register(t, op, 'Rose Client', ['CLIENT']);
    await register(t, op, 'Rose Stranger', ['CLIENT']);
    const key = await issueKey(t, op, client.id);
    expect(names(await t.ok(MEMBERS, { search: 'rose' }, key))).toEqual(['Rose Client']);
  });

  it('clears named overrides or all of them, versioning each clearance, so the network schedule applies again', async () => {
    const { op } = await createNetwork(t, 'Clear');
    const s = await register(t, op, 'S', ['SUPPLIER']);
    await t.ok(SET_TERMS, { memberId: s.id, input: { supplierFeeBps: 300, offerTimeoutSeconds: 60, clientFeeBps: 700 } }, op);

    const partly = (await t.ok(CLEAR_TERMS, { memberId: s.id, fields: ['SUPPLIER_FEE_BPS'] }, op)).clearMemberTerms;
    expect(partly.terms).toEqual({ ...DEFAULT_TERMS, clientFeeBps: 700, offerTimeoutSeconds: 60 });
    // Clearing what is not overridden changes and records nothing.
    await t.ok(CLEAR_TERMS, { memberId: s.id, fields: ['PARTNER_SHARE_MONTHS'] }, op);
    const all = (await t.ok(CLEAR_TERMS, { memberId: s.id }, op)).clearMemberTerms;
    expect(all.terms).toEqual(DEFAULT_TERMS);

    const history = (await t.ok(HISTORY, { memberId: s.id }, op)).feeTermHistory.map((h: any) => h.overrides);
    const none = { clientFeeBps: null, supplierFeeBps: null, partnerShareBps: null, partnerShareMonths: null, offerTimeoutSeconds: null };
    expect(history).toEqual([
      { ...none, supplierFeeBps: 300, offerTimeoutSeconds: 60, clientFeeBps: 700 },
      { ...none, offerTimeoutSeconds: 60, clientFeeBps: 700 },
      none,
    ]);
  });

  it("lets only the network's operator clear overrides", async () => {
    const { op } = await createNetwork(t, 'Clear access');
    const s = await register(t, op, 'S', ['SUPPLIER']);
    await t.ok(SET_TERMS, { memberId: s.id, input: { supplierFeeBps: 300 } }, op);
    const key = await issueKey(t, op, s.id);
    expect(await t.code(CLEAR_TERMS, { memberId: s.id }, key)).toBe('FORBIDDEN');
    const other = await createNetwork(t, 'Clear other');
    expect(await t.code(CLEAR_TERMS, { memberId: s.id }, other.op)).toBe('NOT_FOUND');
    expect(await t.code(CLEAR_TERMS, { memberId: s.id, fields: ['NOPE'] }, op)).toBe('BAD_USER_INPUT');
    expect((await t.ok(HISTORY, { memberId: s.id }, op)).feeTermHistory).toHaveLength(1);
  });
});
