import { bpsWords, ratioWords, reasonWords, statusWords } from './words';

describe('plain words', () => {
  it('writes basis points as a percentage', () => {
    expect(bpsWords(1000)).toBe('10 %');
    expect(bpsWords(1250)).toBe('12.5 %');
    expect(bpsWords(505)).toBe('5.05 %');
    expect(bpsWords(0)).toBe('0 %');
    expect(bpsWords(10000)).toBe('100 %');
  });

  it('passes unknown codes through (new ones will come)', () => {
    expect(statusWords('UNROUTABLE')).toBe('No supplier found');
    expect(statusWords('DISPUTED')).toBe('Disputed');
    expect(statusWords('ON_HOLD')).toBe('ON_HOLD');
    expect(reasonWords('LEAD_TIME')).toBe('cannot deliver in time');
    expect(reasonWords('BLOCKLISTED')).toBe('BLOCKLISTED');
    expect(reasonWords(null)).toBe('eligible');
  });

  it('writes ratios as percentages', () => {
    expect(ratioWords(0.123)).toBe('12.3 %');
    expect(ratioWords(0.05)).toBe('5 %');
    expect(ratioWords(null)).toBe('—');
  });
});
