import { TandemHarness } from './support/tandem';
import { Q, buildCircles, createNetwork, issueKey, register } from './support/community';

/**
 * Who may do what in the community (docs/api.md, "Keys and reach" and "Errors"):
 * every kind of key against every query and mutation of libs/network, with the
 * exact code, or 'ok' and the data it must see.
 */
type Who = 'admin' | 'operator' | 'otherOperator' | 'client' | 'supplier' | 'partner' | 'dual' | 'revoked' | 'none';
const WHO: Who[] = ['admin', 'operator', 'otherOperator', 'client', 'supplier', 'partner', 'dual', 'revoked', 'none'];
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

interface Case {
  query: string;
  /** Fresh variables for each call, so a mutation that succeeds never disturbs the next case. */
  vars: (who: Who) => Promise<Record<string, unknown>>;
  expect: Record<Who, Outcome>;
  /** For 'ok': what the caller must see. */
  check?: (data: any, who: Who) => void;
}

// The common shapes: operator only, and open to every network key.
const OPERATOR_ONLY: Record<Who, Outcome> = {
  admin: 'FORBIDDEN',
  operator: 'ok',
  otherOperator: 'NOT_FOUND',
  client: 'FORBIDDEN',
  supplier: 'FORBIDDEN',
  partner: 'FORBIDDEN',
  dual: 'FORBIDDEN',
  revoked: 'UNAUTHENTICATED',
  none: 'UNAUTHENTICATED',
};
const SUPPLIER_OWN: Record<Who, Outcome> = {
  admin: 'FORBIDDEN',
  operator: 'ok',
  otherOperator: 'NOT_FOUND',
  client: 'FORBIDDEN',
  supplier: 'ok',
  partner: 'FORBIDDEN',
  dual: 'NOT_FOUND',
  revoked: 'UNAUTHENTICATED',
  none: 'UNAUTHENTICATED',
};

describe('access to the community, by kind of key', () => {
  let t: TandemHarness;
  let c: Awaited<ReturnType<typeof buildCircles>>;
  let other: { id: string; op: string };
  const keys = {} as Record<Who, string | null>;
  let n = 0;
  const fresh = () => `x${++n}`;

  beforeAll(async () => {
    t = await TandemHarness.start('access-members', { worker: false });
    c = await buildCircles(t);
    other = await createNetwork(t, 'Other network');
    await register(t, other.op, 'Outsider', ['CLIENT']);
    const revoked = await register(t, c.op, 'Former client', ['CLIENT']);
    keys.revoked = await issueKey(t, c.op, revoked.id);
    const [listed] = (await t.ok(Q.apiKeys, { memberId: revoked.id }, c.op)).apiKeys;
    await t.ok(Q.revokeApiKey, { keyId: listed.id }, c.op);
    Object.assign(keys, {
      admin: t.adminKey,
      operator: c.op,
      otherOperator: other.op,
      client: c.keys.client,
      supplier: c.keys.supplier,
      partner: c.keys.p1,
      dual: c.keys.florist,
      none: null,
    });
  });
  afterAll(() => t.stop());

  const self = (who: Who): string | null => ({ client: c.client.id, supplier: c.supplier.id, partner: c.p1.id, dual: c.florist.id })[who as string] ?? null;
  const capabilityInput = (category: string) => ({
    supplierId: c.supplier.id,
    category,
    regions: ['US-NY'],
    dailyCapacity: 2,
    leadTimeHours: 12,
    unitPrice: { amount: '99.99', currency: 'USD' },
  });
  const newCapability = async () => (await t.ok(Q.addCapability, { input: capabilityInput(fresh()) }, c.op)).addCapability.id;

  const cases: Record<string, Case> = {
    createNetwork: {
      query: Q.createNetwork,
      vars: async () => ({ input: { name: fresh(), currency: 'EUR' } }),
      expect: {
        admin: 'ok',
        operator: 'FORBIDDEN',
        otherOperator: 'FORBIDDEN',
        client: 'FORBIDDEN',
        supplier: 'FORBIDDEN',
        partner: 'FORBIDDEN',
        dual: 'FORBIDDEN',
        revoked: 'UNAUTHENTICATED',
        none: 'UNAUTHENTICATED',
      },
    },
    network: {
      query: Q.network,
      vars: async () => ({}),
      expect: {
        admin: 'FORBIDDEN',
        operator: 'ok',
        otherOperator: 'ok',
        client: 'ok',
        supplier: 'ok',
        partner: 'ok',
        dual: 'ok',
        revoked: 'UNAUTHENTICATED',
        none: 'UNAUTHENTICATED',
      },
      check: (d, who) => expect(d.network.id).toBe(who === 'otherOperator' ? other.id : c.networkId),
    },
    updateFeeSchedule: {
      query: Q.updateFeeSchedule,
      vars: async () => ({ input: {} }),
      expect: { ...OPERATOR_ONLY, otherOperator: 'ok' },
      check: (d, who) => expect(d.updateFeeSchedule.id).toBe(who === 'otherOperator' ? other.id : c.networkId),
    },
    me: {
      query: Q.me,
      vars: async () => ({}),
      expect: {
        admin: 'FORBIDDEN',
        operator: 'ok',
        otherOperator: 'ok',
        client: 'ok',
        supplier: 'ok',
        partner: 'ok',
        dual: 'ok',
        revoked: 'UNAUTHENTICATED',
        none: 'UNAUTHENTICATED',
      },
      check: (d, who) => expect(d.me?.id ?? null).toBe(self(who)),
    },
    'member(the client)': {
      query: Q.member,
      vars: async () => ({ id: c.client.id }),
      // The client itself and the partner that referred it.
      expect: {
        admin: 'FORBIDDEN',
        operator: 'ok',
        otherOperator: 'NOT_FOUND',
        client: 'ok',
        supplier: 'NOT_FOUND',
        partner: 'ok',
        dual: 'NOT_FOUND',
        revoked: 'UNAUTHENTICATED',
        none: 'UNAUTHENTICATED',
      },
      check: (d, who) => {
        expect(d.member.id).toBe(c.client.id);
        expect(d.member.terms === null).toBe(who === 'partner');
      },
    },
    'member(itself)': {
      query: Q.member,
      vars: async (who) => ({ id: self(who) ?? c.p2.id }),
      expect: {
        admin: 'FORBIDDEN',
        operator: 'ok',
        otherOperator: 'NOT_FOUND',
        client: 'ok',
        supplier: 'ok',
        partner: 'ok',
        dual: 'ok',
        revoked: 'UNAUTHENTICATED',
        none: 'UNAUTHENTICATED',
      },
      check: (d) => expect(d.member.terms).not.toBeNull(),
    },
    members: {
      query: Q.members,
      vars: async () => ({ first: 100 }),
      expect: {
        admin: 'FORBIDDEN',
        operator: 'ok',
        otherOperator: 'ok',
        client: 'ok',
        supplier: 'ok',
        partner: 'ok',
        dual: 'ok',
        revoked: 'UNAUTHENTICATED',
        none: 'UNAUTHENTICATED',
      },
      check: (d, who) => {
        const seen = d.members.edges.map((e: any) => e.node.id);
        const expected: Partial<Record<Who, string[]>> = {
          client: [c.client.id],
          supplier: [c.supplier.id],
          partner: [c.p1.id, c.client.id],
          dual: [c.florist.id],
        };
        if (who === 'operator') expect(seen.slice(0, 6)).toEqual([c.p1.id, c.p2.id, c.client.id, c.supplier.id, c.florist.id, c.newcomer.id]);
        else if (who === 'otherOperator') expect(d.members.edges.map((e: any) => e.node.name)).toContain('Outsider');
        else expect(seen).toEqual(expected[who]);
        if (who !== 'operator' && who !== 'otherOperator') expect(d.members.totalCount).toBe(expected[who]?.length);
      },
    },
    registerMember: {
      query: Q.registerMember,
      vars: async () => ({ input: { name: fresh(), roles: ['CLIENT'] } }),
      // Another operator registers in its own network.
      expect: { ...OPERATOR_ONLY, otherOperator: 'ok' },
    },
    setMemberRoles: {
      query: Q.setMemberRoles,
      vars: async () => ({ memberId: (await register(t, c.op, fresh(), ['CLIENT'])).id, roles: ['CLIENT', 'PARTNER'] }),
      expect: OPERATOR_ONLY,
      check: (d) => expect(d.setMemberRoles.roles).toEqual(['CLIENT', 'PARTNER']),
    },
    'setMemberRoles(itself)': {
      query: Q.setMemberRoles,
      // A member key may not change its own roles either.
      vars: async (who) => ({ memberId: self(who) ?? (await register(t, c.op, fresh(), ['CLIENT'])).id, roles: ['CLIENT', 'SUPPLIER', 'PARTNER'] }),
      expect: OPERATOR_ONLY,
    },
    setMemberTerms: {
      query: Q.setMemberTerms,
      vars: async () => ({ memberId: c.client.id, input: { clientFeeBps: 900 } }),
      expect: OPERATOR_ONLY,
      check: (d) => expect(d.setMemberTerms.terms.clientFeeBps).toBe(900),
    },
    feeTermHistory: {
      query: Q.feeTermHistory,
      vars: async () => ({ memberId: c.client.id }),
      expect: OPERATOR_ONLY,
    },
    issueApiKey: {
      query: Q.issueApiKey,
      vars: async (who) => ({ memberId: self(who) ?? c.client.id }),
      // A member key cannot mint keys, not even for itself.
      expect: OPERATOR_ONLY,
      check: (d) => expect(d.issueApiKey).toMatch(/^tnd_mem_/),
    },
    apiKeys: {
      query: Q.apiKeys,
      vars: async (who) => ({ memberId: self(who) ?? c.client.id }),
      expect: OPERATOR_ONLY,
    },
    revokeApiKey: {
      query: Q.revokeApiKey,
      vars: async () => {
        const m = await register(t, c.op, fresh(), ['CLIENT']);
        await issueKey(t, c.op, m.id);
        return { keyId: (await t.ok(Q.apiKeys, { memberId: m.id }, c.op)).apiKeys[0].id };
      },
      expect: OPERATOR_ONLY,
    },
    addCapability: {
      query: Q.addCapability,
      vars: async () => ({ input: capabilityInput(fresh()) }),
      // For the supplier only: the dual-role member passing another member's supplierId is FORBIDDEN.
      expect: { ...SUPPLIER_OWN, dual: 'FORBIDDEN' },
    },
    updateCapability: {
      query: Q.updateCapability,
      vars: async () => ({ id: c.basket.id, input: { dailyCapacity: 5 } }),
      expect: SUPPLIER_OWN,
      check: (d) => expect(d.updateCapability.id).toBe(c.basket.id),
    },
    removeCapability: {
      query: Q.removeCapability,
      vars: async () => ({ id: await newCapability() }),
      expect: SUPPLIER_OWN,
    },
    setVettingStatus: {
      query: Q.setVettingStatus,
      vars: async () => ({ supplierId: c.newcomer.id, status: ['UNDER_REVIEW', 'APPLIED'][n++ % 2] }),
      expect: OPERATOR_ONLY,
    },
    'setVettingStatus(itself)': {
      query: Q.setVettingStatus,
      vars: async (who) => ({ supplierId: self(who) ?? c.supplier.id, status: 'VETTED' }),
      // No member key may vet: a supplier never vets itself.
      expect: OPERATOR_ONLY,
    },
    vettingHistory: {
      query: Q.vettingHistory,
      vars: async () => ({ supplierId: c.supplier.id }),
      expect: OPERATOR_ONLY,
      check: (d) => expect(d.vettingHistory.map((e: any) => e.toStatus)).toEqual(['APPLIED', 'VETTED']),
    },
  };

  const rows = Object.entries(cases).flatMap(([name, k]) => WHO.map((who) => [name, who, k.expect[who]] as const));

  it.each(rows)('%s by %s: %s', async (name, who, outcome) => {
    const k = cases[name];
    const r = await t.gql(k.query, await k.vars(who), keys[who]);
    if (outcome === 'ok') {
      expect(r.errors).toBeUndefined();
      k.check?.(r.data, who);
    } else {
      expect(r.errors?.[0]?.extensions?.code).toBe(outcome);
      // Nothing is answered: data is null, or the nullable field (me) is.
      expect(Object.values(r.data ?? {}).every((v) => v === null)).toBe(true);
    }
  });
});
