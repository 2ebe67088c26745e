import { TandemHarness } from './tandem';

/** GraphQL operations of the community (libs/network), shared by the e2e suites. */
export const TERMS_FIELDS = 'clientFeeBps supplierFeeBps partnerShareBps partnerShareMonths offerTimeoutSeconds';
export const CAPABILITY_FIELDS = 'id category regions dailyCapacity leadTimeHours unitPrice { amount currency }';
export const MEMBER_FIELDS = `id name roles vettingStatus joinedAt referredBy { id name } capabilities { ${CAPABILITY_FIELDS} } terms { ${TERMS_FIELDS} }`;

export const Q = {
  createNetwork: `mutation($input: NetworkInput!) { createNetwork(input: $input) { operatorKey network { id } } }`,
  network: `{ network { id } }`,
  updateFeeSchedule: `mutation($input: FeeScheduleInput!) { updateFeeSchedule(input: $input) { id feeSchedule { ${TERMS_FIELDS} } } }`,
  registerMember: `mutation($input: MemberInput!) { registerMember(input: $input) { ${MEMBER_FIELDS} } }`,
  setMemberRoles: `mutation($memberId: ID!, $roles: [Role!]!) { setMemberRoles(memberId: $memberId, roles: $roles) { id roles vettingStatus } }`,
  me: `{ me { ${MEMBER_FIELDS} } }`,
  member: `query($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} } }`,
  members: `query($role: Role, $first: Int, $after: String) {
    members(role: $role, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name roles } } }
  }`,
  setVettingStatus: `mutation($supplierId: ID!, $status: VettingStatus!, $note: String) {
    setVettingStatus(supplierId: $supplierId, status: $status, note: $note) { id roles vettingStatus }
  }`,
  vettingHistory: `query($supplierId: ID!) { vettingHistory(supplierId: $supplierId) { id fromStatus toStatus note actor createdAt } }`,
  addCapability: `mutation($input: CapabilityInput!) { addCapability(input: $input) { ${CAPABILITY_FIELDS} } }`,
  updateCapability: `mutation($id: ID!, $input: CapabilityUpdateInput!) { updateCapability(id: $id, input: $input) { ${CAPABILITY_FIELDS} } }`,
  removeCapability: `mutation($id: ID!) { removeCapability(id: $id) { ${CAPABILITY_FIELDS} } }`,
  setMemberTerms: `mutation($memberId: ID!, $input: FeeScheduleInput!) { setMemberTerms(memberId: $memberId, input: $input) { id terms { ${TERMS_FIELDS} } } }`,
  feeTermHistory: `query($memberId: ID!) { feeTermHistory(memberId: $memberId) { id effectiveAt overrides { ${TERMS_FIELDS} } } }`,
  issueApiKey: `mutation($memberId: ID!) { issueApiKey(memberId: $memberId) }`,
  apiKeys: `query($memberId: ID!) { apiKeys(memberId: $memberId) { id hint createdAt revokedAt } }`,
  revokeApiKey: `mutation($keyId: ID!) { revokeApiKey(keyId: $keyId) { id hint createdAt revokedAt } }`,
};

export type RoleName = 'CLIENT' | 'SUPPLIER' | 'PARTNER';

export interface Member {
  id: string;
  name: string;
  roles: RoleName[];
  vettingStatus: string | null;
  joinedAt: string;
  referredBy: { id: string; name: string } | null;
  capabilities: any[];
  terms: any;
}

export async function createNetwork(t: TandemHarness, name: string, currency = 'USD'): Promise<{ id: string; op: string }> {
  const { createNetwork } = await t.ok(Q.createNetwork, { input: { name, currency } }, t.adminKey);
  return { id: createNetwork.network.id, op: createNetwork.operatorKey };
}

export async function register(t: TandemHarness, op: string, name: string, roles: RoleName[], referredById?: string): Promise<Member> {
  return (await t.ok(Q.registerMember, { input: { name, roles, referredById } }, op)).registerMember;
}

export async function issueKey(t: TandemHarness, op: string, memberId: string): Promise<string> {
  return (await t.ok(Q.issueApiKey, { memberId }, op)).issueApiKey;
}

export async function vet(t: TandemHarness, op: string, supplierId: string, status = 'VETTED', note?: string): Promise<void> {
  await t.ok(Q.setVettingStatus, { supplierId, status, note }, op);
}

export async function memberCount(t: TandemHarness, op: string): Promise<number> {
  return (await t.ok(Q.members, {}, op)).members.totalCount;
}

/**
 * The Circles network of docs/api.md's worked example: partners P1 and P2, a client referred by P1,
 * a (vetted) gift-basket supplier referred by P2, a florist that is SUPPLIER and
 * CLIENT (vetted), and a supplier not yet vetted. Every member has a key.
 */
export async function buildCircles(t: TandemHarness, name = 'Circles') {
  const net = await createNetwork(t, name, 'USD');
  const op = net.op;
  const p1 = await register(t, op, 'Pia Partner', ['PARTNER']);
  const p2 = await register(t, op, 'Paul Partner', ['PARTNER']);
  const client = await register(t, op, 'Grand Hotel', ['CLIENT'], p1.id);
  const supplier = await register(t, op, 'Basket & Co', ['SUPPLIER'], p2.id);
  const florist = await register(t, op, 'Fleur Florist', ['SUPPLIER', 'CLIENT']);
  const newcomer = await register(t, op, 'New Baskets', ['SUPPLIER']);
  await vet(t, op, supplier.id, 'VETTED', 'references checked');
  await vet(t, op, florist.id);
  const basket = (
    await t.ok(
      Q.addCapability,
      {
        input: {
          supplierId: supplier.id,
          category: 'gift-baskets',
          regions: ['us-ny'],
          dailyCapacity: 5,
          leadTimeHours: 24,
          unitPrice: { amount: '120', currency: 'usd' },
        },
      },
      op,
    )
  ).addCapability;
  const flowers = (
    await t.ok(
      Q.addCapability,
      {
        input: {
          supplierId: florist.id,
          category: 'flowers',
          regions: ['US-NY', 'us-nj'],
          dailyCapacity: 10,
          leadTimeHours: 4,
          unitPrice: { amount: '35.5', currency: 'USD' },
        },
      },
      op,
    )
  ).addCapability;
  const keys = {
    p1: await issueKey(t, op, p1.id),
    p2: await issueKey(t, op, p2.id),
    client: await issueKey(t, op, client.id),
    supplier: await issueKey(t, op, supplier.id),
    florist: await issueKey(t, op, florist.id),
    newcomer: await issueKey(t, op, newcomer.id),
  };
  return { networkId: net.id, op, p1, p2, client, supplier, florist, newcomer, basket, flowers, keys };
}
