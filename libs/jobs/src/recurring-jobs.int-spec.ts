import { Test } from '@nestjs/testing';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { TandemConfig, TandemConfigModule } from '@tandem/common';
import { PersistenceModule } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { JobsModule } from './jobs.module';
import { QUEUES } from './job-types';
import { queueConnectionOptions } from './queue-store';
import { RecurringJobs, RecurringPlan } from './recurring-jobs.service';

const PLAN: RecurringPlan = {
  fixed: [
    { name: 'reconcile-routing', everyMs: 60_000, data: {} },
    { name: 'reconcile-ledger', everyMs: 60_000, data: {} },
  ],
  synced: [],
};

/** Two workers starting at once, as two processes do, on each queue store. */
describe.each(['postgres', 'redis'] as const)('recurring jobs kept by two workers at once (queues on %s)', (queueStore) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: TandemConfig;
  const apps: INestApplicationContext[] = [];

  const startWorkerContext = async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: config.databaseUrl }), JobsModule.forRoot(config)],
    }).compile();
    const app = await moduleRef.init();
    apps.push(app);
    return app.get(RecurringJobs);
  };

  beforeAll(async () => {
    db = await createTestDatabase(`recurring-${queueStore}`);
    config = testConfig(db.url, { queueStore });
  });

  afterAll(async () => {
    for (const app of apps) {
      app.get(RecurringJobs).stop();
      await app.close();
    }
    await clearQueues(config);
    await db.drop();
  });

  it('creates each scheduler once, with one first run, however the two interleave', async () => {
    const [a, b] = await Promise.all([startWorkerContext(), startWorkerContext()]);
    const queue = new Queue(QUEUES.maintenance, queueConnectionOptions(config));
    try {
      // The race is lost or won by a few milliseconds: several rounds, each from no schedule at all.
      for (let round = 0; round < 5; round++) {
        await Promise.all([a.start(PLAN), b.start(PLAN)]);
        // A later round by either finds every scheduler in place and leaves it alone.
        await Promise.all([a.keep(), b.keep()]);
        a.stop();
        b.stop();

        const schedulers = await queue.getJobSchedulers(0, -1);
        expect(schedulers.map((s) => [s.key, Number(s.every)]).sort()).toEqual([
          ['reconcile-ledger', 60_000],
          ['reconcile-routing', 60_000],
        ]);
        const runs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
        const firstRuns = (name: string) => runs.filter((j) => j.name === name).length;
        expect(PLAN.fixed.map((j) => [j.name, firstRuns(j.name)])).toEqual([
          ['reconcile-routing', 1],
          ['reconcile-ledger', 1],
        ]);

        await queue.obliterate({ force: true });
        expect([await queue.getJobSchedulersCount(), await queue.count()]).toEqual([0, 0]);
      }
    } finally {
      await queue.close();
    }
  });
});
