import { randomUUID } from 'node:crypto';
import { TandemHarness } from './support/tandem';
import { Q, TERMS_FIELDS, buildCircles, createNetwork, issueKey, memberCount, register, vet } from './support/community';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DEFAULT_TERMS = { clientFeeBps: 1000, supplierFeeBps: 500, partnerShareBps: 2000, partnerShareMonths: 12, offerTimeoutSeconds: 900 };

describe('the community: members, referrals, vetting, capabilities, fee terms and keys', () => {
  let t: TandemHarness;
  beforeAll(async () => {
    t = await TandemHarness.start('community');
  });
  afterAll(() => t.stop());

  const ids = (conn: { edges: { node: { id: string } }[] }) => conn.edges.map((e) => e.node.id);

  describe('the Circles network (the worked example of docs/api.md)', () => {
    let c: Awaited<ReturnType<typeof buildCircles>>;
    beforeAll(async () => {
      c = await buildCircles(t);
    });

    it('registers every member with its roles, referrer, vetting status and join time', async () => {
      const before = Date.now();
      const probe = await register(t, c.op, 'Probe', ['CLIENT']);
      expect(probe.joinedAt).toMatch(ISO_UTC);
      expect(Math.abs(Date.parse(probe.joinedAt) - before)).toBeLessThan(10_000);

      const { member: client } = await t.ok(Q.member, { id: c.client.id }, c.op);
      expect(client).toMatchObject({
        name: 'Grand Hotel',
        roles: ['CLIENT'],
        vettingStatus: null,
        referredBy: { id: c.p1.id, name: 'Pia Partner' },
        capabilities: [],
      });
      const { member: supplier } = await t.ok(Q.member, { id: c.supplier.id }, c.op);
      expect(supplier).toMatchObject({ name: 'Basket & Co', roles: ['SUPPLIER'], vettingStatus: 'VETTED', referredBy: { id: c.p2.id } });
      expect(supplier.capabilities).toEqual([
        {
          id: c.basket.id,
          category: 'gift-baskets',
          regions: ['US-NY'],
          dailyCapacity: 5,
          leadTimeHours: 24,
          unitPrice: { amount: '120.00', currency: 'USD' },
        },
      ]);
      // Roles come back in the canonical order, whatever order they were given in.
      const { member: florist } = await t.ok(Q.member, { id: c.florist.id }, c.op);
      expect(florist).toMatchObject({ roles: ['CLIENT', 'SUPPLIER'], vettingStatus: 'VETTED', referredBy: null });
      expect(florist.capabilities).toEqual([
        {
          id: c.flowers.id,
          category: 'flowers',
          regions: ['US-NY', 'US-NJ'],
          dailyCapacity: 10,
          leadTimeHours: 4,
          unitPrice: { amount: '35.50', currency: 'USD' },
        },
      ]);
      expect((await t.ok(Q.member, { id: c.newcomer.id }, c.op)).member).toMatchObject({ roles: ['SUPPLIER'], vettingStatus: 'APPLIED' });
      expect((await t.ok(Q.member, { id: c.p1.id }, c.op)).member).toMatchObject({ roles: ['PARTNER'], vettingStatus: null, referredBy: null });
    });

    it('lists members in creation order, filtered by role, with the total of the filtered set', async () => {
      const all = (await t.ok(Q.members, { first: 6 }, c.op)).members;
      expect(ids(all)).toEqual([c.p1.id, c.p2.id, c.client.id, c.supplier.id, c.florist.id, c.newcomer.id]);
      const suppliers = (await t.ok(Q.members, { role: 'SUPPLIER' }, c.op)).members;
      expect(ids(suppliers)).toEqual([c.supplier.id, c.florist.id, c.newcomer.id]);
      expect(suppliers.totalCount).toBe(3);
      const clients = (await t.ok(Q.members, { role: 'CLIENT' }, c.op)).members;
      expect(ids(clients).slice(0, 2)).toEqual([c.client.id, c.florist.id]);
    });

    it('shows each key only what it reaches: itself, and for a partner the members it referred', async () => {
      expect(ids((await t.ok(Q.members, {}, c.keys.p1)).members)).toEqual([c.p1.id, c.client.id]);
      expect(ids((await t.ok(Q.members, {}, c.keys.p2)).members)).toEqual([c.p2.id, c.supplier.id]);
      expect(ids((await t.ok(Q.members, { role: 'SUPPLIER' }, c.keys.p2)).members)).toEqual([c.supplier.id]);
      expect((await t.ok(Q.members, { role: 'CLIENT' }, c.keys.p2)).members.totalCount).toBe(0);
      expect(ids((await t.ok(Q.members, {}, c.keys.client)).members)).toEqual([c.client.id]);
      expect(ids((await t.ok(Q.members, {}, c.keys.florist)).members)).toEqual([c.florist.id]);
      expect((await t.ok(Q.members, {}, c.keys.supplier)).members.totalCount).toBe(1);

      expect((await t.ok(Q.member, { id: c.client.id }, c.keys.p1)).member.name).toBe('Grand Hotel');
      expect(await t.code(Q.member, { id: c.supplier.id }, c.keys.p1)).toBe('NOT_FOUND');
      expect(await t.code(Q.member, { id: c.p1.id }, c.keys.client)).toBe('NOT_FOUND');
      expect(await t.code(Q.member, { id: c.florist.id }, c.keys.supplier)).toBe('NOT_FOUND');
      expect(await t.code(Q.member, { id: 'not-a-uuid' }, c.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.member, { id: randomUUID() }, c.op)).toBe('NOT_FOUND');
    });

    it('resolves objects reached through a visible one, but shows terms only to the member and the operator', async () => {
      // The client sees its referrer, although it cannot look the partner up.
      const { member } = await t.ok(Q.member, { id: c.client.id }, c.keys.client);
      expect(member.referredBy).toEqual({ id: c.p1.id, name: 'Pia Partner' });
      expect(member.terms).toEqual(DEFAULT_TERMS);
      // The partner sees the supplier it referred and its capabilities, not its terms.
      const seen = (await t.ok(Q.member, { id: c.supplier.id }, c.keys.p2)).member;
      expect(seen.capabilities).toHaveLength(1);
      expect(seen.terms).toBeNull();
      expect((await t.ok(Q.member, { id: c.supplier.id }, c.op)).member.terms).toEqual(DEFAULT_TERMS);
      const nested = await t.ok(`query($id: ID!) { member(id: $id) { referredBy { id terms { clientFeeBps } } } }`, { id: c.client.id }, c.keys.client);
      expect(nested.member.referredBy).toEqual({ id: c.p1.id, terms: null });
    });

    it("answers me with the key's member (all its roles), null for an operator key, FORBIDDEN for the admin key", async () => {
      expect((await t.ok(Q.me, {}, c.keys.florist)).me).toMatchObject({ id: c.florist.id, roles: ['CLIENT', 'SUPPLIER'], terms: DEFAULT_TERMS });
      expect((await t.ok(Q.me, {}, c.keys.p2)).me).toMatchObject({ id: c.p2.id, roles: ['PARTNER'] });
      expect((await t.ok(Q.me, {}, c.op)).me).toBeNull();
      expect(await t.code(Q.me, {}, t.adminKey)).toBe('FORBIDDEN');
      expect(await t.code(Q.me, {}, null)).toBe('UNAUTHENTICATED');
    });
  });

  describe('registration', () => {
    let op: string;
    let partner: string;
    let client: string;
    let supplier: string;
    let otherPartner: string;
    beforeAll(async () => {
      op = (await createNetwork(t, 'Registrations')).op;
      partner = (await register(t, op, 'P', ['PARTNER'])).id;
      client = (await register(t, op, 'C', ['CLIENT'], partner)).id;
      supplier = (await register(t, op, 'S', ['SUPPLIER'])).id;
      const other = await createNetwork(t, 'Elsewhere');
      otherPartner = (await register(t, other.op, 'Other P', ['PARTNER'])).id;
    });

    it.each([
      ['quotes', `O'Brien "The Basket" & <Sons>`],
      ['emoji', '🌸 Fleurs 🌸'],
      ['SQL-looking text', "Robert'); DROP TABLE members;--"],
      ['surrounding spaces', '  Padded Name  '],
      ['200 emoji (400 UTF-16 units)', '😀'.repeat(200)],
      ['200 letters', 'a'.repeat(200)],
      ['combining marks', 'Zoe\u0301 Cafe\u0301'],
    ])('stores a name with %s verbatim', async (_label, name) => {
      const m = await register(t, op, name, ['CLIENT']);
      expect(m.name).toBe(name);
      expect((await t.ok(Q.member, { id: m.id }, op)).member.name).toBe(name);
    });

    it('drops duplicate roles and accepts every combination', async () => {
      expect((await register(t, op, 'Dup', ['CLIENT', 'CLIENT'])).roles).toEqual(['CLIENT']);
      const all = await register(t, op, 'All', ['PARTNER', 'SUPPLIER', 'CLIENT']);
      expect(all).toMatchObject({ roles: ['CLIENT', 'SUPPLIER', 'PARTNER'], vettingStatus: 'APPLIED' });
    });

    it('accepts a partner that is also a client or supplier as referrer', async () => {
      const both = await register(t, op, 'Both', ['CLIENT', 'PARTNER']);
      expect((await register(t, op, 'Referred', ['SUPPLIER'], both.id)).referredBy).toEqual({ id: both.id, name: 'Both' });
    });

    it.each([
      ['an empty name', () => ({ name: '', roles: ['CLIENT'] })],
      ['a blank name', () => ({ name: '   ', roles: ['CLIENT'] })],
      ['a 201-letter name', () => ({ name: 'a'.repeat(201), roles: ['CLIENT'] })],
      ['a 201-emoji name', () => ({ name: '😀'.repeat(201), roles: ['CLIENT'] })],
      ['no roles', () => ({ name: 'X', roles: [] })],
      ['an unknown role', () => ({ name: 'X', roles: ['ADMIN'] })],
      ['a missing name', () => ({ roles: ['CLIENT'] })],
      ['a client as referrer', () => ({ name: 'X', roles: ['CLIENT'], referredById: client })],
      ['a supplier as referrer', () => ({ name: 'X', roles: ['CLIENT'], referredById: supplier })],
    ])('rejects %s with BAD_USER_INPUT and registers nothing', async (_label, input) => {
      const before = await memberCount(t, op);
      expect(await t.code(Q.registerMember, { input: input() }, op)).toBe('BAD_USER_INPUT');
      expect(await memberCount(t, op)).toBe(before);
    });

    it.each([
      ["another network's partner", () => otherPartner],
      ['an unknown id', () => randomUUID()],
      ['an id that is not a UUID', () => 'p1'],
    ])('answers a referrer that is %s with NOT_FOUND and registers nothing', async (_label, referredById) => {
      const before = await memberCount(t, op);
      expect(await t.code(Q.registerMember, { input: { name: 'X', roles: ['CLIENT'], referredById: referredById() } }, op)).toBe('NOT_FOUND');
      expect(await memberCount(t, op)).toBe(before);
    });
  });

  describe('roles', () => {
    it('lets a member gain SUPPLIER (vetting starts at APPLIED) and its key act in the new role at once', async () => {
      const { op } = await createNetwork(t, 'Gain');
      const m = await register(t, op, 'Hotel', ['CLIENT']);
      const key = await issueKey(t, op, m.id);
      const capability = {
        supplierId: m.id,
        category: 'rooms',
        regions: ['FR'],
        dailyCapacity: 1,
        leadTimeHours: 0,
        unitPrice: { amount: '80', currency: 'EUR' },
      };
      expect(await t.code(Q.addCapability, { input: capability }, key)).toBe('FORBIDDEN');
      const { setMemberRoles } = await t.ok(Q.setMemberRoles, { memberId: m.id, roles: ['SUPPLIER', 'CLIENT'] }, op);
      expect(setMemberRoles).toEqual({ id: m.id, roles: ['CLIENT', 'SUPPLIER'], vettingStatus: 'APPLIED' });
      expect((await t.ok(Q.addCapability, { input: capability }, key)).addCapability.unitPrice).toEqual({ amount: '80.00', currency: 'EUR' });
      const history = (await t.ok(Q.vettingHistory, { supplierId: m.id }, op)).vettingHistory;
      expect(history).toMatchObject([{ fromStatus: null, toStatus: 'APPLIED', note: 'SUPPLIER role added' }]);
    });

    it('lets a supplier lose SUPPLIER: no vetting status, history kept; regaining it starts again at APPLIED', async () => {
      const { op } = await createNetwork(t, 'Lose');
      const s = await register(t, op, 'Supplier', ['SUPPLIER']);
      const key = await issueKey(t, op, s.id);
      await vet(t, op, s.id, 'VETTED');
      expect((await t.ok(Q.setMemberRoles, { memberId: s.id, roles: ['CLIENT'] }, op)).setMemberRoles).toEqual({
        id: s.id,
        roles: ['CLIENT'],
        vettingStatus: null,
      });
      expect((await t.ok(Q.me, {}, key)).me).toMatchObject({ roles: ['CLIENT'], vettingStatus: null });
      expect(await t.code(Q.setVettingStatus, { supplierId: s.id, status: 'VETTED' }, op)).toBe('BAD_USER_INPUT');
      const kept = (await t.ok(Q.vettingHistory, { supplierId: s.id }, op)).vettingHistory;
      expect(kept.map((e: any) => [e.fromStatus, e.toStatus])).toEqual([
        [null, 'APPLIED'],
        ['APPLIED', 'VETTED'],
      ]);
      expect((await t.ok(Q.setMemberRoles, { memberId: s.id, roles: ['CLIENT', 'SUPPLIER'] }, op)).setMemberRoles.vettingStatus).toBe('APPLIED');
      const after = (await t.ok(Q.vettingHistory, { supplierId: s.id }, op)).vettingHistory;
      expect(after.map((e: any) => [e.fromStatus, e.toStatus])).toEqual([
        [null, 'APPLIED'],
        ['APPLIED', 'VETTED'],
        [null, 'APPLIED'],
      ]);
    });

    it("takes a partner's reach away with its PARTNER role (its referrals stay recorded)", async () => {
      const { op } = await createNetwork(t, 'Reach');
      const p = await register(t, op, 'Partner', ['PARTNER']);
      const referred = await register(t, op, 'Client', ['CLIENT'], p.id);
      const key = await issueKey(t, op, p.id);
      expect((await t.ok(Q.members, {}, key)).members.totalCount).toBe(2);
      await t.ok(Q.setMemberRoles, { memberId: p.id, roles: ['CLIENT'] }, op);
      expect(ids((await t.ok(Q.members, {}, key)).members)).toEqual([p.id]);
      expect(await t.code(Q.member, { id: referred.id }, key)).toBe('NOT_FOUND');
      expect((await t.ok(Q.member, { id: referred.id }, op)).member.referredBy).toEqual({ id: p.id, name: 'Partner' });
    });

    it('rejects an empty role list, and unknown members, changing nothing', async () => {
      const { op } = await createNetwork(t, 'NoRoles');
      const m = await register(t, op, 'M', ['CLIENT']);
      expect(await t.code(Q.setMemberRoles, { memberId: m.id, roles: [] }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.setMemberRoles, { memberId: m.id, roles: ['OWNER'] }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.setMemberRoles, { memberId: randomUUID(), roles: ['CLIENT'] }, op)).toBe('NOT_FOUND');
      expect(await t.code(Q.setMemberRoles, { memberId: 'x', roles: ['CLIENT'] }, op)).toBe('NOT_FOUND');
      expect((await t.ok(Q.member, { id: m.id }, op)).member.roles).toEqual(['CLIENT']);
    });
  });

  describe('vetting', () => {
    it('moves from any status to any other and keeps every change: who, when, from, to, note', async () => {
      const { op } = await createNetwork(t, 'Vetting');
      const s = await register(t, op, 'S', ['SUPPLIER']);
      const steps: [string, string | undefined][] = [
        ['UNDER_REVIEW', 'documents received'],
        ['VETTED', undefined],
        ['SUSPENDED', 'late twice'],
        ['VETTED', 'fixed'],
        ['REVOKED', 'fraud'],
        ['APPLIED', 'second chance'],
        ['VETTED', ''],
      ];
      for (const [status, note] of steps) {
        expect((await t.ok(Q.setVettingStatus, { supplierId: s.id, status, note }, op)).setVettingStatus.vettingStatus).toBe(status);
      }
      const history = (await t.ok(Q.vettingHistory, { supplierId: s.id }, op)).vettingHistory;
      expect(history.map((e: any) => [e.fromStatus, e.toStatus, e.note])).toEqual([
        [null, 'APPLIED', 'registered'],
        ['APPLIED', 'UNDER_REVIEW', 'documents received'],
        ['UNDER_REVIEW', 'VETTED', null],
        ['VETTED', 'SUSPENDED', 'late twice'],
        ['SUSPENDED', 'VETTED', 'fixed'],
        ['VETTED', 'REVOKED', 'fraud'],
        ['REVOKED', 'APPLIED', 'second chance'],
        ['APPLIED', 'VETTED', ''],
      ]);
      for (const e of history) {
        expect(e.actor).toMatch(/^operator:[0-9a-f-]{36}$/);
        expect(e.createdAt).toMatch(ISO_UTC);
      }
      const times = history.map((e: any) => Date.parse(e.createdAt));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });

    it('treats setting the current status again as done, without a new event', async () => {
      const { op } = await createNetwork(t, 'Same');
      const s = await register(t, op, 'S', ['SUPPLIER']);
      await vet(t, op, s.id, 'VETTED');
      expect((await t.ok(Q.setVettingStatus, { supplierId: s.id, status: 'VETTED', note: 'again' }, op)).setVettingStatus.vettingStatus).toBe('VETTED');
      expect((await t.ok(Q.vettingHistory, { supplierId: s.id }, op)).vettingHistory).toHaveLength(2);
    });

    it('vets only suppliers, refuses long notes and unknown statuses, and changes nothing when it refuses', async () => {
      const { op } = await createNetwork(t, 'VetBad');
      const client = await register(t, op, 'C', ['CLIENT', 'PARTNER']);
      const s = await register(t, op, 'S', ['SUPPLIER']);
      expect(await t.code(Q.setVettingStatus, { supplierId: client.id, status: 'VETTED' }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.setVettingStatus, { supplierId: s.id, status: 'VETTED', note: 'x'.repeat(2001) }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.setVettingStatus, { supplierId: s.id, status: 'APPROVED' }, op)).toBe('BAD_USER_INPUT');
      expect((await t.ok(Q.member, { id: s.id }, op)).member.vettingStatus).toBe('APPLIED');
      expect((await t.ok(Q.vettingHistory, { supplierId: s.id }, op)).vettingHistory).toHaveLength(1);
      expect((await t.ok(Q.vettingHistory, { supplierId: client.id }, op)).vettingHistory).toEqual([]);
      // 2,000 code points is the limit, not 2,000 UTF-16 units.
      await vet(t, op, s.id, 'UNDER_REVIEW', '🌸'.repeat(2000));
    });

    it('never lets a supplier vet itself, and keeps other networks out of reach', async () => {
      const { op } = await createNetwork(t, 'SelfVet');
      const s = await register(t, op, 'S', ['SUPPLIER']);
      const key = await issueKey(t, op, s.id);
      expect(await t.code(Q.setVettingStatus, { supplierId: s.id, status: 'VETTED' }, key)).toBe('FORBIDDEN');
      expect(await t.code(Q.vettingHistory, { supplierId: s.id }, key)).toBe('FORBIDDEN');
      const other = await createNetwork(t, 'Other');
      expect(await t.code(Q.setVettingStatus, { supplierId: s.id, status: 'VETTED' }, other.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.vettingHistory, { supplierId: s.id }, other.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.setVettingStatus, { supplierId: 'nope', status: 'VETTED' }, op)).toBe('NOT_FOUND');
      expect((await t.ok(Q.member, { id: s.id }, op)).member.vettingStatus).toBe('APPLIED');
    });
  });

  describe('capabilities', () => {
    let op: string;
    let supplier: { id: string };
    let supplierKey: string;
    let florist: { id: string };
    let floristKey: string;
    let client: { id: string };
    const capabilitiesOf = async (id: string) => (await t.ok(Q.member, { id }, op)).member.capabilities as any[];
    const input = (over: Record<string, unknown> = {}) => ({
      supplierId: supplier.id,
      category: 'hampers',
      regions: ['GB-LND'],
      dailyCapacity: 3,
      leadTimeHours: 48,
      unitPrice: { amount: '80.00', currency: 'GBP' },
      ...over,
    });

    beforeAll(async () => {
      op = (await createNetwork(t, 'Capabilities', 'USD')).op;
      supplier = await register(t, op, 'S', ['SUPPLIER']);
      florist = await register(t, op, 'F', ['SUPPLIER', 'CLIENT']);
      client = await register(t, op, 'C', ['CLIENT']);
      supplierKey = await issueKey(t, op, supplier.id);
      floristKey = await issueKey(t, op, florist.id);
      await t.ok(Q.addCapability, { input: input({ category: 'gift-baskets', regions: ['US-NY'], unitPrice: { amount: '120', currency: 'USD' } }) }, op);
    });

    it('normalises category and regions, keeps the price exact in its own currency, and lets a supplier add its own', async () => {
      const added = (
        await t.ok(
          Q.addCapability,
          { input: input({ category: '  Wine_Gifts ', regions: [' gb-lnd', 'GB-LND ', 'fr-75'], unitPrice: { amount: '1000', currency: 'jpy' } }) },
          supplierKey,
        )
      ).addCapability;
      expect(added).toMatchObject({
        category: 'wine_gifts',
        regions: ['GB-LND', 'FR-75'],
        dailyCapacity: 3,
        leadTimeHours: 48,
        unitPrice: { amount: '1000', currency: 'JPY' },
      });
      const kwd = (await t.ok(Q.addCapability, { input: input({ category: 'dates', leadTimeHours: 0, unitPrice: { amount: '1.005', currency: 'KWD' } }) }, op))
        .addCapability;
      expect(kwd.unitPrice).toEqual({ amount: '1.005', currency: 'KWD' });
      expect((await capabilitiesOf(supplier.id)).map((c) => c.category)).toEqual(['gift-baskets', 'wine_gifts', 'dates']);
    });

    it.each([
      ['a daily capacity of 0', { dailyCapacity: 0 }],
      ['a negative daily capacity', { dailyCapacity: -2 }],
      ['a negative lead time', { leadTimeHours: -1 }],
      ['a USD price with 3 decimals', { unitPrice: { amount: '19.999', currency: 'USD' } }],
      ['a JPY price with decimals', { unitPrice: { amount: '100.5', currency: 'JPY' } }],
      ['an unknown currency', { unitPrice: { amount: '10', currency: 'XYZ' } }],
      ['a zero price', { unitPrice: { amount: '0.00', currency: 'USD' } }],
      ['a negative price', { unitPrice: { amount: '-5', currency: 'USD' } }],
      ['a price that is not a number', { unitPrice: { amount: '1e3', currency: 'USD' } }],
      ['no regions', { regions: [] }],
      ['a malformed region', { regions: ['US NY'] }],
      ['an empty category', { category: '  ' }],
      ['a 65-character category', { category: 'c'.repeat(65) }],
      ['a category already held (after normalising)', { category: ' GIFT-Baskets ' }],
    ])('rejects %s with BAD_USER_INPUT and adds nothing', async (_label, over) => {
      const before = (await capabilitiesOf(supplier.id)).length;
      expect(await t.code(Q.addCapability, { input: input({ category: 'new-one', ...over }) }, op)).toBe('BAD_USER_INPUT');
      expect(await capabilitiesOf(supplier.id)).toHaveLength(before);
    });

    it('refuses capabilities for a member that is not a supplier', async () => {
      expect(await t.code(Q.addCapability, { input: input({ supplierId: client.id }) }, op)).toBe('BAD_USER_INPUT');
      expect(await capabilitiesOf(client.id)).toEqual([]);
    });

    it('lets a supplier add only for itself; the operator only in its network', async () => {
      expect(await t.code(Q.addCapability, { input: input({ category: 'mine', supplierId: florist.id }) }, supplierKey)).toBe('FORBIDDEN');
      expect(await t.code(Q.addCapability, { input: input({ category: 'mine', supplierId: randomUUID() }) }, supplierKey)).toBe('FORBIDDEN');
      expect(await capabilitiesOf(florist.id)).toEqual([]);
      const other = await createNetwork(t, 'Other caps');
      expect(await t.code(Q.addCapability, { input: input({ category: 'theirs' }) }, other.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.addCapability, { input: input({ category: 'theirs', supplierId: 'bad-id' }) }, op)).toBe('NOT_FOUND');
    });

    it('updates a capability field by field, validated like a new one', async () => {
      const cap = (await t.ok(Q.addCapability, { input: input({ category: 'cheese' }) }, op)).addCapability;
      const updated = (
        await t.ok(
          Q.updateCapability,
          { id: cap.id, input: { unitPrice: { amount: '75.5', currency: 'eur' }, regions: ['fr-75'], dailyCapacity: null } },
          supplierKey,
        )
      ).updateCapability;
      expect(updated).toEqual({ ...cap, regions: ['FR-75'], unitPrice: { amount: '75.50', currency: 'EUR' } });
      expect(await t.code(Q.updateCapability, { id: cap.id, input: { dailyCapacity: 0 } }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.updateCapability, { id: cap.id, input: { category: 'Gift-Baskets' } }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.updateCapability, { id: cap.id, input: { regions: [] } }, op)).toBe('BAD_USER_INPUT');
      const renamed = (await t.ok(Q.updateCapability, { id: cap.id, input: { category: 'Cheeses', leadTimeHours: 0 } }, op)).updateCapability;
      expect(renamed).toMatchObject({ category: 'cheeses', leadTimeHours: 0, dailyCapacity: 3, regions: ['FR-75'] });
      expect((await capabilitiesOf(supplier.id)).find((c) => c.id === cap.id)).toEqual(renamed);
    });

    it("keeps another supplier's capabilities out of reach (NOT_FOUND) and removes a capability once", async () => {
      const cap = (await t.ok(Q.addCapability, { input: input({ category: 'to-remove' }) }, supplierKey)).addCapability;
      expect(await t.code(Q.updateCapability, { id: cap.id, input: { dailyCapacity: 9 } }, floristKey)).toBe('NOT_FOUND');
      expect(await t.code(Q.removeCapability, { id: cap.id }, floristKey)).toBe('NOT_FOUND');
      expect(await t.code(Q.removeCapability, { id: 'nope' }, op)).toBe('NOT_FOUND');
      const other = await createNetwork(t, 'Other remove');
      expect(await t.code(Q.removeCapability, { id: cap.id }, other.op)).toBe('NOT_FOUND');
      expect((await t.ok(Q.removeCapability, { id: cap.id }, supplierKey)).removeCapability).toEqual(cap);
      expect((await capabilitiesOf(supplier.id)).some((c) => c.id === cap.id)).toBe(false);
      expect(await t.code(Q.removeCapability, { id: cap.id }, op)).toBe('NOT_FOUND');
      // The category is free again.
      expect((await t.ok(Q.addCapability, { input: input({ category: 'to-remove' }) }, op)).addCapability.category).toBe('to-remove');
    });
  });

  describe('fee terms', () => {
    it('merges overrides into the network schedule, versions each change, and follows later network changes', async () => {
      const { op } = await createNetwork(t, 'Terms');
      const s = await register(t, op, 'S', ['SUPPLIER']);
      const sKey = await issueKey(t, op, s.id);
      const first = (await t.ok(Q.setMemberTerms, { memberId: s.id, input: { supplierFeeBps: 300 } }, op)).setMemberTerms;
      expect(first.terms).toEqual({ ...DEFAULT_TERMS, supplierFeeBps: 300 });
      const second = (await t.ok(Q.setMemberTerms, { memberId: s.id, input: { offerTimeoutSeconds: 60, supplierFeeBps: null } }, op)).setMemberTerms;
      expect(second.terms).toEqual({ ...DEFAULT_TERMS, supplierFeeBps: 300, offerTimeoutSeconds: 60 });
      await t.ok(Q.updateFeeSchedule, { input: { clientFeeBps: 800, supplierFeeBps: 450 } }, op);
      expect((await t.ok(Q.me, {}, sKey)).me.terms).toEqual({ ...DEFAULT_TERMS, clientFeeBps: 800, supplierFeeBps: 300, offerTimeoutSeconds: 60 });

      const history = (await t.ok(Q.feeTermHistory, { memberId: s.id }, op)).feeTermHistory;
      const none = { clientFeeBps: null, supplierFeeBps: null, partnerShareBps: null, partnerShareMonths: null, offerTimeoutSeconds: null };
      expect(history.map((h: any) => h.overrides)).toEqual([
        { ...none, supplierFeeBps: 300 },
        { ...none, supplierFeeBps: 300, offerTimeoutSeconds: 60 },
      ]);
      expect(history[0].effectiveAt).toMatch(ISO_UTC);
      expect(Date.parse(history[1].effectiveAt)).toBeGreaterThanOrEqual(Date.parse(history[0].effectiveAt));
    });

    it('rejects invalid terms with BAD_USER_INPUT and changes nothing; an empty change records no version', async () => {
      const { op } = await createNetwork(t, 'Terms bad');
      const m = await register(t, op, 'C', ['CLIENT']);
      await t.ok(Q.setMemberTerms, { memberId: m.id, input: { clientFeeBps: 750 } }, op);
      for (const bad of [{ partnerShareBps: 10001 }, { clientFeeBps: 500, supplierFeeBps: -1 }, { partnerShareMonths: 121 }, { offerTimeoutSeconds: 0 }]) {
        expect(await t.code(Q.setMemberTerms, { memberId: m.id, input: bad }, op)).toBe('BAD_USER_INPUT');
      }
      expect(await t.code(Q.setMemberTerms, { memberId: m.id, input: { clientFeeBps: 'ten' } }, op)).toBe('BAD_USER_INPUT');
      expect((await t.ok(Q.setMemberTerms, { memberId: m.id, input: {} }, op)).setMemberTerms.terms).toEqual({ ...DEFAULT_TERMS, clientFeeBps: 750 });
      expect((await t.ok(Q.feeTermHistory, { memberId: m.id }, op)).feeTermHistory).toHaveLength(1);
      expect(await t.code(Q.setMemberTerms, { memberId: 'x', input: { clientFeeBps: 1 } }, op)).toBe('NOT_FOUND');
      const other = await createNetwork(t, 'Terms other');
      expect(await t.code(Q.setMemberTerms, { memberId: m.id, input: { clientFeeBps: 1 } }, other.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.feeTermHistory, { memberId: m.id }, other.op)).toBe('NOT_FOUND');
    });
  });

  describe('member keys', () => {
    it('acts in the new roles from the very next request after a role change', async () => {
      const { op } = await createNetwork(t, 'Roles now');
      const m = await register(t, op, 'Soon a supplier', ['CLIENT']);
      const key = await issueKey(t, op, m.id);
      const capability = {
        supplierId: m.id,
        category: 'flowers',
        regions: ['NYC'],
        dailyCapacity: 3,
        leadTimeHours: 2,
        unitPrice: { amount: '40', currency: 'USD' },
      };
      expect(await t.code(Q.network, {}, key)).toBeUndefined();
      expect(await t.code(Q.addCapability, { input: capability }, key)).toBe('FORBIDDEN');
      await t.ok(Q.setMemberRoles, { memberId: m.id, roles: ['CLIENT', 'SUPPLIER'] }, op);
      expect((await t.ok(Q.addCapability, { input: capability }, key)).addCapability.category).toBe('flowers');
      await t.ok(Q.setMemberRoles, { memberId: m.id, roles: ['CLIENT'] }, op);
      expect(await t.code(Q.addCapability, { input: { ...capability, category: 'wine' } }, key)).toBe('FORBIDDEN');
    });

    it('lists keys without their secret, revokes one (refused at once) and leaves the others working', async () => {
      const { op } = await createNetwork(t, 'Keys');
      const m = await register(t, op, 'Key holder', ['CLIENT', 'PARTNER']);
      const k1 = await issueKey(t, op, m.id);
      const k2 = await issueKey(t, op, m.id);
      expect(k1).toMatch(/^tnd_mem_[A-Za-z0-9_-]{43}$/);
      expect(k1).not.toBe(k2);
      const listed = (await t.ok(Q.apiKeys, { memberId: m.id }, op)).apiKeys;
      expect(listed).toHaveLength(2);
      expect(listed.map((k: any) => k.hint)).toEqual([`${k1.slice(0, 8)}…${k1.slice(-4)}`, `${k2.slice(0, 8)}…${k2.slice(-4)}`]);
      expect(JSON.stringify(listed)).not.toContain(k1.slice(8, 30));
      expect(listed.every((k: any) => k.revokedAt === null && ISO_UTC.test(k.createdAt))).toBe(true);

      expect((await t.ok(Q.me, {}, k1)).me.id).toBe(m.id);
      const revoked = (await t.ok(Q.revokeApiKey, { keyId: listed[0].id }, op)).revokeApiKey;
      expect(revoked.revokedAt).toMatch(ISO_UTC);
      expect(await t.code(Q.me, {}, k1)).toBe('UNAUTHENTICATED');
      expect(await t.code(Q.members, {}, k1)).toBe('UNAUTHENTICATED');
      expect((await t.ok(Q.me, {}, k2)).me.id).toBe(m.id);
      // Revoking again keeps the first time.
      expect((await t.ok(Q.revokeApiKey, { keyId: listed[0].id }, op)).revokeApiKey.revokedAt).toBe(revoked.revokedAt);
      expect((await t.ok(Q.apiKeys, { memberId: m.id }, op)).apiKeys.map((k: any) => k.revokedAt)).toEqual([revoked.revokedAt, null]);
    });

    it("keeps other networks' members and keys out of reach, and does not revoke operator keys", async () => {
      const a = await createNetwork(t, 'Keys A');
      const b = await createNetwork(t, 'Keys B');
      const m = await register(t, a.op, 'M', ['CLIENT']);
      await issueKey(t, a.op, m.id);
      const keyId = (await t.ok(Q.apiKeys, { memberId: m.id }, a.op)).apiKeys[0].id;
      expect(await t.code(Q.issueApiKey, { memberId: m.id }, b.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.apiKeys, { memberId: m.id }, b.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.revokeApiKey, { keyId }, b.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.revokeApiKey, { keyId: 'k1' }, a.op)).toBe('NOT_FOUND');
      expect(await t.code(Q.issueApiKey, { memberId: randomUUID() }, a.op)).toBe('NOT_FOUND');
      expect((await t.ok(Q.apiKeys, { memberId: m.id }, a.op)).apiKeys[0].revokedAt).toBeNull();
    });

    it('acts as the member in every role it holds', async () => {
      const { op } = await createNetwork(t, 'Dual');
      const referrer = await register(t, op, 'Referrer', ['PARTNER', 'SUPPLIER']);
      const referred = await register(t, op, 'Referred', ['CLIENT'], referrer.id);
      const key = await issueKey(t, op, referrer.id);
      // As a partner it sees whom it referred; as a supplier it adds its own capability.
      expect(ids((await t.ok(Q.members, {}, key)).members)).toEqual([referrer.id, referred.id]);
      const input = { supplierId: referrer.id, category: 'x', regions: ['A'], dailyCapacity: 1, leadTimeHours: 1, unitPrice: { amount: '1', currency: 'USD' } };
      expect((await t.ok(Q.addCapability, { input }, key)).addCapability.category).toBe('x');
    });
  });

  describe('the members connection', () => {
    let op: string;
    let all: string[];
    beforeAll(async () => {
      op = (await createNetwork(t, 'Paging')).op;
      all = [];
      for (let i = 0; i < 25; i++) all.push((await register(t, op, `M${i}`, i % 5 === 0 ? ['SUPPLIER'] : ['CLIENT'])).id);
    });

    it('pages with first (default 20) and after, in creation order, without gaps or repeats', async () => {
      const page1 = (await t.ok(Q.members, {}, op)).members;
      expect(page1.edges).toHaveLength(20);
      expect(page1.totalCount).toBe(25);
      expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[19].cursor });
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await t.ok(Q.members, { first: 7, after }, op)).members;
        expect(page.totalCount).toBe(25);
        seen.push(...ids(page));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(all);
      const last = (await t.ok(Q.members, { first: 100, after: page1.pageInfo.endCursor }, op)).members;
      expect(ids(last)).toEqual(all.slice(20));
      expect(last.pageInfo.hasNextPage).toBe(false);
      const suppliers = (await t.ok(Q.members, { role: 'SUPPLIER', first: 2 }, op)).members;
      expect(suppliers.totalCount).toBe(5);
      expect(ids(suppliers)).toEqual([all[0], all[5]]);
      const none = (await t.ok(Q.members, { first: 0 }, op)).members;
      expect(none).toEqual({ totalCount: 25, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
    });

    it('refuses a page over 100 and a cursor it did not hand out', async () => {
      expect(await t.code(Q.members, { first: 101 }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.members, { first: -1 }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.members, { after: 'garbage' }, op)).toBe('BAD_USER_INPUT');
      const forged = Buffer.from(`${new Date().toISOString()}|1 OR 1=1`).toString('base64url');
      expect(await t.code(Q.members, { after: forged }, op)).toBe('BAD_USER_INPUT');
      expect(await t.code(Q.members, { role: 'OWNER' }, op)).toBe('BAD_USER_INPUT');
    });
  });

  describe('query depth', () => {
    const nested = (levels: number) => `{ members { edges { node { ${'referredBy { '.repeat(levels)}id${' }'.repeat(levels)} } } } }`;

    it('serves a query at the depth limit (12) and refuses one deeper with GRAPHQL_VALIDATION_FAILED', async () => {
      const { op } = await createNetwork(t, 'Depth');
      let referrer = await register(t, op, 'P0', ['PARTNER']);
      for (let i = 1; i <= 10; i++) referrer = await register(t, op, `P${i}`, ['PARTNER'], referrer.id);
      // members/edges/node + 9 x referredBy + id: 13 fields deep, depth 12 counting from 0.
      const ok = await t.gql(nested(9), {}, op);
      expect(ok.errors).toBeUndefined();
      expect(ok.data.members.edges.at(-1).node.referredBy.referredBy.referredBy.referredBy.referredBy.referredBy.referredBy.referredBy.referredBy).toEqual({
        id: expect.any(String),
      });
      const deep = await t.gql(nested(10), {}, op);
      expect(deep.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(deep.data).toBeUndefined();
    });
  });

  describe('fee terms field', () => {
    it('resolves terms, capabilities and referrers for a whole list', async () => {
      const c = await buildCircles(t, 'Circles batch');
      const list = await t.ok(
        `{ members(first: 50) { edges { node { id terms { ${TERMS_FIELDS} } capabilities { category } referredBy { id } } } } }`,
        {},
        c.op,
      );
      expect(list.members.edges).toHaveLength(6);
      expect(list.members.edges.every((e: any) => e.node.terms.clientFeeBps === 1000)).toBe(true);
      expect(list.members.edges.map((e: any) => e.node.capabilities.map((x: any) => x.category))).toEqual([[], [], [], ['gift-baskets'], ['flowers'], []]);
    });
  });
});
