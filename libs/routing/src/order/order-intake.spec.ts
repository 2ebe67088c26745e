import { RawOrderInput, normalizeOrderInput, orderFingerprint } from './order-intake';

const now = new Date('2026-11-22T10:00:00Z');
const input = (over: Partial<RawOrderInput> = {}): RawOrderInput => ({
  category: ' Gift-Baskets ',
  region: 'us-ny',
  quantity: 1,
  deliverBy: new Date('2026-11-25T09:00:00Z'),
  budget: { amount: '150', currency: 'usd' },
  idempotencyKey: 'k-1',
  ...over,
});
const fp = (over: Partial<RawOrderInput> = {}) => orderFingerprint(normalizeOrderInput(input(over), now));

describe('order intake', () => {
  it('normalises category, region, budget and notes', () => {
    expect(normalizeOrderInput(input(), now)).toEqual({
      category: 'gift-baskets',
      region: 'US-NY',
      quantity: 1,
      deliverBy: new Date('2026-11-25T09:00:00Z'),
      budget: { minor: 15000n, currency: 'USD' },
      idempotencyKey: 'k-1',
      notes: null,
    });
  });

  it('fingerprints values, not spellings', () => {
    const base = fp();
    expect(fp({ budget: { amount: '150.00', currency: 'USD' } })).toBe(base);
    expect(fp({ deliverBy: new Date('2026-11-25T11:00:00+02:00') })).toBe(base);
    expect(fp({ notes: null })).toBe(base);
    expect(fp({ notes: undefined, category: 'GIFT-BASKETS', region: ' US-NY' })).toBe(base);
    expect(fp({ budget: { amount: '150.01', currency: 'USD' } })).not.toBe(base);
    expect(fp({ budget: { amount: '150', currency: 'EUR' } })).not.toBe(base);
    expect(fp({ notes: 'ring twice' })).not.toBe(base);
    expect(fp({ quantity: 2 })).not.toBe(base);
    expect(fp({ deliverBy: new Date('2026-11-25T09:00:00.001Z') })).not.toBe(base);
  });

  it.each([
    ['quantity 0', { quantity: 0 }, 'quantity'],
    ['quantity -1', { quantity: -1 }, 'quantity'],
    ['deliverBy now', { deliverBy: now }, 'deliverBy'],
    ['deliverBy in the past', { deliverBy: new Date('2026-11-01T00:00:00Z') }, 'deliverBy'],
    ['a zero budget', { budget: { amount: '0', currency: 'USD' } }, 'budget'],
    ['a negative budget', { budget: { amount: '-5', currency: 'USD' } }, 'budget'],
    ['too many decimals', { budget: { amount: '1.234', currency: 'USD' } }, 'budget.amount'],
    ['an unknown currency', { budget: { amount: '1', currency: 'XYZ' } }, 'budget.currency'],
    ['an empty category', { category: ' ' }, 'category'],
    ['a bad region', { region: 'us ny' }, 'region'],
    ['notes over 2000 code points', { notes: '🎁'.repeat(2001) }, 'notes'],
    ['an empty key', { idempotencyKey: '' }, 'idempotencyKey'],
    ['a key over 200 characters', { idempotencyKey: 'k'.repeat(201) }, 'idempotencyKey'],
  ])('rejects %s with BAD_USER_INPUT', (_label, over, field) => {
    expect(() => normalizeOrderInput(input(over as Partial<RawOrderInput>), now)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field } }),
    );
  });

  it('accepts 2000 code points of notes even when they take 4000 UTF-16 units', () => {
    expect(normalizeOrderInput(input({ notes: '🎁'.repeat(2000) }), now).notes).toHaveLength(4000);
  });
});
