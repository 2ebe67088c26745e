import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { Clock, SimulatedClock, SystemClock, TandemConfigModule, loadConfig } from '@tandem/common';
import { dropDatabase, ensureDatabase, migrate } from './database';
import { PersistenceModule } from './persistence.module';
import { setSimulatedClock } from './simulated-clock';

/** Polls without fixed sleeps: the notification arrives when the loaded machine lets it. */
async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error('timed out');
  }
}

describe('the simulated clock, shared through the database', () => {
  // Persistence sits below libs/testing, so this suite makes its own scratch database.
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/tandem_t_clock_${randomBytes(4).toString('hex')}`;
  const url = base.toString();

  const start = async (simulated: boolean) => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, TANDEM_SIMULATED_CLOCK: String(simulated) });
    const app = await Test.createTestingModule({ imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url, poolSize: 2 })] }).compile();
    await app.init();
    return app;
  };

  beforeAll(async () => {
    await ensureDatabase(url);
    await migrate(url);
  });
  afterAll(() => dropDatabase(url));

  it('every process follows where the clock is moved, and one started later reads it', async () => {
    const api = await start(true);
    const worker = await start(true);
    const later = await start(false);
    try {
      const clocks = [api.get(Clock), worker.get(Clock)];
      expect(clocks.every((c) => c instanceof SimulatedClock)).toBe(true);
      // Not set yet: real time.
      expect(Math.abs(clocks[0].now().getTime() - Date.now())).toBeLessThan(60_000);

      const day1 = new Date('2026-03-01T08:00:00Z');
      await setSimulatedClock(url, day1);
      await until(() => clocks.every((c) => c.now().getTime() >= day1.getTime() && c.now().getTime() < day1.getTime() + 60_000));

      const day2 = new Date('2026-03-02T08:00:00Z');
      await setSimulatedClock(url, day2);
      await until(() => clocks.every((c) => c.now().getTime() >= day2.getTime()));

      const third = await start(true);
      try {
        const t = third.get(Clock).now().getTime();
        expect(t).toBeGreaterThanOrEqual(day2.getTime());
        expect(t).toBeLessThan(day2.getTime() + 60_000);
      } finally {
        await third.close();
      }
      // Without the setting the same database changes nothing: real time.
      expect(later.get(Clock)).toBeInstanceOf(SystemClock);
      expect(Math.abs(later.get(Clock).now().getTime() - Date.now())).toBeLessThan(60_000);
    } finally {
      await Promise.all([api.close(), worker.close(), later.close()]);
    }
  });
});
