import { formatRemaining, spokenRemaining } from './countdown';

describe('offer countdown', () => {
  it.each([
    [0, 'expired'],
    [-5000, 'expired'],
    [1, '0:01'],
    [59_000, '0:59'],
    [249_000, '4:09'],
    [899_500, '15:00'],
    [3_600_000, '1 h 00 min'],
    [3_900_000, '1 h 05 min'],
    [2 * 86_400_000 + 3 * 3_600_000, '2 d 3 h'],
  ])('%i ms left reads %s', (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });

  it('speaks the time left in words', () => {
    expect(spokenRemaining(249_000)).toBe('4 minutes 9 seconds left');
    expect(spokenRemaining(1000)).toBe('1 second left');
    expect(spokenRemaining(3_660_000)).toBe('1 hour 1 minute left');
    expect(spokenRemaining(0)).toBe('expired');
  });
});
