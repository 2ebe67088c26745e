import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { TandemConfigModule } from '@tandem/common';
import { JobsModule } from '@tandem/jobs';
import { PersistenceModule } from '@tandem/persistence';
import { clearQueues, createTestDatabase, testConfig } from '@tandem/testing';
import { RoutingModule } from '../routing.module';

/**
 * Routing's module on a database of its own, for the integration specs of
 * libs/routing. No relay runs: jobs stay in the outbox, and the specs call the
 * handlers themselves.
 */
export interface RoutingTestApp {
  app: INestApplicationContext;
  config: ReturnType<typeof testConfig>;
  ds(): DataSource;
  /** A network with the usual terms (10 % client fee, 5 % supplier fee, 20 % share for 12 months, 900 s offers). */
  insertNetwork(id: string): Promise<void>;
  close(): Promise<void>;
}

/** `poolSize`: the suite's connections (4 unless it runs passes side by side). */
export async function startRoutingApp(name: string, poolSize = 4): Promise<RoutingTestApp> {
  const db = await createTestDatabase(name);
  const config = testConfig(db.url);
  const moduleRef = await Test.createTestingModule({
    imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: config.databaseUrl, poolSize }), JobsModule.forRoot(config), RoutingModule],
  }).compile();
  const app = await moduleRef.init();
  const ds = () => app.get(DataSource);
  return {
    app,
    config,
    ds,
    async insertNetwork(id) {
      await ds().query(
        `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds)
         VALUES ($1, 'Net', 'USD', 1000, 500, 2000, 12, 900)`,
        [id],
      );
    },
    async close() {
      await app.close();
      await clearQueues(config.redisUrl, config.queuePrefix);
      await db.drop();
    },
  };
}
