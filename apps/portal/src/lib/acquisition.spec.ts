import { acquisitionWords } from './acquisition';

const usd = (amount: string) => ({ amount, currency: 'USD' });

describe('acquisition cost against the baseline', () => {
  it('says how much cheaper the hub is, exactly (docs/api.md, "Acquisition cost": 100 -> 5)', () => {
    expect(acquisitionWords(usd('5.00'), usd('100.00'))).toBe('95 % less than winning a customer elsewhere.');
    expect(acquisitionWords(usd('6.00'), usd('100'))).toBe('94 % less than winning a customer elsewhere.');
    expect(acquisitionWords(usd('33.33'), usd('100.00'))).toBe('66.6 % less than winning a customer elsewhere.');
    expect(acquisitionWords(usd('100.00'), usd('100.00'))).toBe('0 % less than winning a customer elsewhere.');
  });

  it('says when the hub costs more', () => {
    expect(acquisitionWords(usd('150.00'), usd('100.00'))).toBe('50 % more than winning a customer elsewhere.');
  });

  it('explains what is missing', () => {
    expect(acquisitionWords(null, usd('100.00'))).toBe('No fulfilled orders in the window yet, so no cost per order.');
    expect(acquisitionWords(usd('6.00'), null)).toBe('Declare what winning a customer costs you elsewhere to compare.');
    expect(acquisitionWords(usd('6.00'), { amount: '100', currency: 'JPY' })).toBe('The baseline is in another currency.');
    expect(acquisitionWords(usd('6.00'), usd('0.00'))).toBe('The baseline is zero.');
  });
});
