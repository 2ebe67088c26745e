import { Caller } from '@tandem/auth';
import { MemberPolicy } from './member.policy';

const NET = 'net-1';
const policy = new MemberPolicy();
const member = (id: string, referredById: string | null = null, networkId = NET) => ({ id, networkId, referredById });
const key = (memberId: string, roles: ('CLIENT' | 'SUPPLIER' | 'PARTNER')[], networkId = NET): Caller => ({
  kind: 'MEMBER',
  networkId,
  memberId,
  roles,
  keyId: 'k',
});
const operator = (networkId = NET): Caller => ({ kind: 'OPERATOR', networkId, keyId: 'k' });

describe('MemberPolicy', () => {
  it('lets the operator see its whole network and nothing of another', () => {
    expect(policy.canSee(operator(), member('a'))).toBe(true);
    expect(policy.canSee(operator('net-2'), member('a'))).toBe(false);
    expect(policy.canSee({ kind: 'ADMIN' }, member('a'))).toBe(false);
  });

  it('lets a client or supplier see only itself', () => {
    expect(policy.canSee(key('c', ['CLIENT']), member('c'))).toBe(true);
    expect(policy.canSee(key('c', ['CLIENT']), member('x', 'c'))).toBe(false);
    expect(policy.canSee(key('s', ['SUPPLIER']), member('x'))).toBe(false);
  });

  it('lets a partner see itself and the members it referred, in its own network', () => {
    const p = key('p', ['PARTNER']);
    expect(policy.canSee(p, member('p'))).toBe(true);
    expect(policy.canSee(p, member('x', 'p'))).toBe(true);
    expect(policy.canSee(p, member('y', 'other'))).toBe(false);
    expect(policy.canSee(p, member('x', 'p', 'net-2'))).toBe(false);
    // A dual-role member reaches the union of its roles.
    expect(policy.canSee(key('p', ['CLIENT', 'PARTNER']), member('x', 'p'))).toBe(true);
  });

  it('shows terms only to the member itself and the operator', () => {
    expect(policy.canSeeTerms(key('p', ['PARTNER']), member('x', 'p'))).toBe(false);
    expect(policy.canSeeTerms(key('x', ['CLIENT']), member('x', 'p'))).toBe(true);
    expect(policy.canSeeTerms(operator(), member('x'))).toBe(true);
    expect(policy.canSeeTerms(operator('net-2'), member('x'))).toBe(false);
  });

  it('writes the same rule as SQL', () => {
    expect(policy.filter(operator(), 'm')).toEqual({ sql: 'm.network_id = :mp_network', params: { mp_network: NET } });
    expect(policy.filter(key('c', ['CLIENT']), 'm')).toEqual({
      sql: 'm.network_id = :mp_network AND m.id = :mp_self',
      params: { mp_network: NET, mp_self: 'c' },
    });
    expect(policy.filter(key('p', ['PARTNER']), 'm').sql).toBe('m.network_id = :mp_network AND (m.id = :mp_self OR m.referred_by_id = :mp_self)');
    expect(policy.filter({ kind: 'ADMIN' }, 'm').sql).toBe('false');
  });
});
