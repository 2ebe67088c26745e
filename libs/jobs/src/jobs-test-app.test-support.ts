import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TandemConfigModule } from '@tandem/common';
import { PersistenceModule } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { JobsModule } from './jobs.module';

/** What the jobs library's int-specs run on: its module on a database and a queue prefix of the suite's own. */
export interface JobsTestApp {
  app: INestApplicationContext;
  config: ReturnType<typeof testConfig>;
  /** Closes the module, then empties the suite's queues and drops its database. */
  close(): Promise<void>;
}

/** JobsModule with persistence on a fresh test database named after the suite (real PostgreSQL and Redis). */
export async function jobsTestApp(name: string): Promise<JobsTestApp> {
  const db = await createTestDatabase(name);
  const config = testConfig(db.url);
  const moduleRef = await Test.createTestingModule({
    imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: config.databaseUrl }), JobsModule.forRoot(config)],
  }).compile();
  const app = await moduleRef.init();
  return {
    app,
    config,
    async close() {
      await app.close();
      await clearQueues(config.redisUrl, config.queuePrefix);
      await db.drop();
    },
  };
}
