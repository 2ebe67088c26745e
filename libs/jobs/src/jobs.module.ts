import { DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QUEUES } from './job-types';
import { OutboxService } from './outbox.service';
import { OutboxRelayService } from './outbox-relay.service';
import { QueueRegistry } from './queue-registry';
import { RecurringJobs } from './recurring-jobs.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEntity } from './outbox.entity';

export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must not give up on a slow reply.
    maxRetriesPerRequest: null,
  };
}

@Global()
@Module({})
export class JobsModule {
  static forRoot(settings: { redisUrl: string; prefix: string }): DynamicModule {
    const queues = Object.values(QUEUES).map((name) => ({ name }));
    return {
      module: JobsModule,
      imports: [
        BullModule.forRoot({ connection: redisConnection(settings.redisUrl), prefix: settings.prefix }),
        BullModule.registerQueue(...queues),
        TypeOrmModule.forFeature([OutboxEntity]),
      ],
      providers: [OutboxService, OutboxRelayService, QueueRegistry, RecurringJobs],
      exports: [OutboxService, OutboxRelayService, QueueRegistry, RecurringJobs, BullModule],
    };
  }
}
