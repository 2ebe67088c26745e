import { DEFAULT_HEALTH_SETTINGS, healthSettingsOf, validateHealthSettingsChange } from './health-settings';

describe('health settings', () => {
  it('defaults every setting, and reads stored ones by their networks.settings keys', () => {
    expect(healthSettingsOf({})).toEqual({ windowDays: 90, atRiskScore: 40, sharpDrop: 15, dropLookbackDays: 7, idleDays: 90 });
    expect(healthSettingsOf(null)).toEqual(DEFAULT_HEALTH_SETTINGS);
    expect(healthSettingsOf({ healthWindowDays: 30, healthAtRiskScore: 55, memberIdleDays: 60, other: 1 })).toMatchObject({
      windowDays: 30,
      atRiskScore: 55,
      idleDays: 60,
    });
  });

  it('falls back to the default for a stored value out of range or of the wrong type', () => {
    expect(healthSettingsOf({ healthWindowDays: 0, healthAtRiskScore: '50', healthSharpDrop: 2.5 })).toEqual(DEFAULT_HEALTH_SETTINGS);
  });

  it('turns a change into the keys to merge, leaving absent and null fields out', () => {
    expect(validateHealthSettingsChange({ windowDays: 30, atRiskScore: null, idleDays: 120 })).toEqual({ healthWindowDays: 30, memberIdleDays: 120 });
    expect(validateHealthSettingsChange(null)).toEqual({});
  });

  it.each([
    [{ windowDays: 6 }],
    [{ windowDays: 731 }],
    [{ atRiskScore: -1 }],
    [{ sharpDrop: 0 }],
    [{ dropLookbackDays: 1.5 }],
    [{ idleDays: 1000 }],
    [{ colour: 3 } as never],
  ])('rejects %j with BAD_USER_INPUT', (change) => {
    expect(() => validateHealthSettingsChange(change)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
