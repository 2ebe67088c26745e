import { DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QUEUES } from './job-types';
import { OutboxService } from './outbox.service';
import { OutboxRelayService } from './outbox-relay.service';
import { OutboxEntity } from './outbox.entity';
import { QueueRegistry } from './queue-registry';
import { QUEUE_STORE, QueueStore, QueueStoreSettings, prepareQueueStore, queueConnectionOptions } from './queue-store';
import { RecurringJobs } from './recurring-jobs.service';

export { redisConnection } from './queue-store';

/** Before the queue store was configurable: Redis only. */
type LegacySettings = { redisUrl: string; prefix: string };

function storeSettings(settings: QueueStoreSettings | LegacySettings): QueueStoreSettings {
  if ('queueStore' in settings) return settings;
  return { queueStore: 'redis', redisUrl: settings.redisUrl, databaseUrl: '', queuePrefix: settings.prefix, redisClusterNodes: null };
}

@Global()
@Module({})
export class JobsModule {
  /**
   * Every queue, on the store the config names (`queueStore`): Redis, or
   * PostgreSQL through BullMQ's own backend. Pass the TandemConfig.
   */
  static forRoot(settings: QueueStoreSettings | LegacySettings): DynamicModule {
    const store = storeSettings(settings);
    const queues = Object.values(QUEUES).map((name) => ({ name }));
    return {
      module: JobsModule,
      imports: [
        // The store is made ready (BullMQ's tables, on PostgreSQL) before any queue connects.
        BullModule.forRootAsync({
          useFactory: async () => {
            await prepareQueueStore(store);
            return queueConnectionOptions(store);
          },
        }),
        BullModule.registerQueue(...queues),
        TypeOrmModule.forFeature([OutboxEntity]),
      ],
      providers: [OutboxService, OutboxRelayService, QueueRegistry, RecurringJobs, { provide: QUEUE_STORE, useValue: store.queueStore satisfies QueueStore }],
      exports: [OutboxService, OutboxRelayService, QueueRegistry, RecurringJobs, BullModule, QUEUE_STORE],
    };
  }
}
