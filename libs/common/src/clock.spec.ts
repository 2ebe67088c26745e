import { SimulatedClock, SystemClock, clockFor } from './clock';

describe('Clock', () => {
  it('is real time unless the simulated clock is asked for', () => {
    expect(clockFor({})).toBeInstanceOf(SystemClock);
    expect(clockFor({ simulatedClock: false })).toBeInstanceOf(SystemClock);
    expect(clockFor({ simulatedClock: true })).toBeInstanceOf(SimulatedClock);
    const at = new Date('2026-01-05T09:00:00Z');
    expect(new SystemClock().realTimeOf(at)).toBe(at);
    expect(new SystemClock().businessTimeOf(at)).toBe(at);
    expect(new SystemClock().simulatedNow()).toBeNull();
  });

  it('simulated: jumps where it is set, then flows at the real rate', () => {
    const clock = new SimulatedClock();
    const at = new Date('2026-01-05T09:00:00Z');
    const before = Date.now();
    clock.set(at);
    const read = clock.now().getTime();
    // Never before the time set, and never ahead of it by more than the real time this test took.
    expect(read).toBeGreaterThanOrEqual(at.getTime());
    expect(read - at.getTime()).toBeLessThanOrEqual(Date.now() - before);
    // A deadline an hour of business time ahead comes an hour of real time from now.
    const deadline = new Date(read + 3_600_000);
    expect(clock.realTimeOf(deadline).getTime() - (Date.now() + 3_600_000)).toBeLessThanOrEqual(0);
    expect(clock.realTimeOf(deadline).getTime() - (before + 3_600_000)).toBeGreaterThanOrEqual(0);
  });

  it('simulated: follows a clock kept elsewhere by its offset to real time', () => {
    const clock = new SimulatedClock();
    const realAt = new Date(Date.now() - 60_000); // set a minute ago, elsewhere
    clock.follow(new Date('2026-02-01T00:00:00Z'), realAt);
    expect(clock.businessTimeOf(realAt).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(clock.realTimeOf(new Date('2026-02-01T00:00:00Z')).getTime()).toBe(realAt.getTime());
    expect(clock.simulatedNow()).not.toBeNull();
    const ahead = clock.now().getTime() - new Date('2026-02-01T00:00:00Z').getTime();
    expect(ahead).toBeGreaterThanOrEqual(60_000);
    expect(ahead).toBeLessThan(60_000 + 60_000);
  });
});
