import { intSetting, numberSetting, obeys, parseSettingsChange } from './settings';

const RULES = { days: intSetting(7, 730), weight: numberSetting(0, 1000) };

describe('settings changes', () => {
  it('keeps the fields given, leaving absent and null ones out', () => {
    expect(parseSettingsChange(RULES, { days: 30, weight: null })).toEqual({ days: 30 });
    expect(parseSettingsChange(RULES, { weight: 0.25 })).toEqual({ weight: 0.25 });
    expect(parseSettingsChange(RULES, null)).toEqual({});
  });

  it.each([
    [{ days: 6 }, 'days must be an integer from 7 to 730', 'days'],
    [{ days: 7.5 }, 'days must be an integer from 7 to 730', 'days'],
    [{ weight: Number.NaN }, 'weight must be a number from 0 to 1000', 'weight'],
    [{ weight: Number.POSITIVE_INFINITY }, 'weight must be a number from 0 to 1000', 'weight'],
    [{ weight: '1' }, 'weight must be a number from 0 to 1000', 'weight'],
    // Two problems: the first field of the rules is named.
    [{ weight: -1, days: 1000 }, 'days must be an integer from 7 to 730', 'days'],
  ])('refuses %j with BAD_USER_INPUT naming the field', (change, message, field) => {
    expect(() => parseSettingsChange(RULES, change)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message, details: { field } }));
  });

  it('drops unknown fields, or refuses them when told why', () => {
    expect(parseSettingsChange(RULES, { days: 30, colour: 3 })).toEqual({ days: 30 });
    expect(() => parseSettingsChange(RULES, { days: 30, colour: 3 }, (f) => `unknown setting ${f}`)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'unknown setting colour', details: { field: 'colour' } }),
    );
  });

  it('tells whether a stored value obeys its rule', () => {
    expect(obeys(RULES.days, 30)).toBe(true);
    expect([2.5, '30', null, undefined, 731].map((v) => obeys(RULES.days, v))).toEqual([false, false, false, false, false]);
  });
});
