import { KEY_STORAGE, cleanKey, forgetKey, loadKey, saveKey, sectionsFor, type KeyStore } from './session';

class MemoryStore implements KeyStore {
  readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

const network = { id: 'n1', name: 'Circles', currency: 'USD' };
const member = (roles: string[]) => ({ kind: 'member' as const, network, member: { id: 'm1', name: 'M', roles } });
const paths = (s: { path: string }[]) => s.map((x) => x.path);

describe('portal session', () => {
  it('cleans a pasted key', () => {
    expect(cleanKey('  tnd_mem_abc \n')).toBe('tnd_mem_abc');
    expect(cleanKey('Bearer tnd_op_xyz')).toBe('tnd_op_xyz');
    expect(cleanKey('bearer   tnd_op_xyz ')).toBe('tnd_op_xyz');
  });

  it('keeps the key in the given store and forgets it on sign-out', () => {
    const store = new MemoryStore();
    expect(loadKey(store)).toBeNull();
    saveKey(store, 'tnd_mem_1');
    expect(store.items.get(KEY_STORAGE)).toBe('tnd_mem_1');
    expect(loadKey(store)).toBe('tnd_mem_1');
    forgetKey(store);
    expect(loadKey(store)).toBeNull();
  });

  it('survives a store that throws (storage disabled)', () => {
    const broken: KeyStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadKey(broken)).toBeNull();
    expect(() => saveKey(broken, 'k')).not.toThrow();
    expect(() => forgetKey(broken)).not.toThrow();
  });

  it('opens only the sections a key reaches', () => {
    expect(paths(sectionsFor({ kind: 'operator', network }))).toEqual([
      'overview',
      'members',
      'orders',
      'fees',
      'settlement',
      'relationships',
      'disputes',
      'webhooks',
    ]);
    expect(paths(sectionsFor(member(['SUPPLIER'])))).toEqual(['offers', 'orders', 'earnings', 'capabilities', 'statements', 'health', 'webhooks']);
    expect(paths(sectionsFor(member(['CLIENT'])))).toEqual(['place-order', 'orders', 'statements', 'health', 'webhooks']);
    expect(paths(sectionsFor(member(['PARTNER'])))).toEqual(['referrals', 'statements', 'health', 'webhooks']);
    // A florist that supplies and buys gets the union, each section once.
    expect(paths(sectionsFor(member(['SUPPLIER', 'CLIENT'])))).toEqual([
      'offers',
      'place-order',
      'orders',
      'earnings',
      'capabilities',
      'statements',
      'health',
      'webhooks',
    ]);
  });
});
