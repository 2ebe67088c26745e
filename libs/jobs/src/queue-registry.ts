import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { QUEUES, QueueName } from './job-types';

/** The BullMQ queues by name, for code that picks one at run time (the relay). */
@Injectable()
export class QueueRegistry {
  private readonly log = new Logger(QueueRegistry.name);
  private readonly byName: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QUEUES.routing) routing: Queue,
    @InjectQueue(QUEUES.ledger) ledger: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.health) health: Queue,
    @InjectQueue(QUEUES.webhooks) webhooks: Queue,
  ) {
    this.byName = { routing, ledger, maintenance, health, webhooks };
    // A Redis error (a dropped connection, one closed during start-up) is logged, never an unhandled 'error' event.
    for (const queue of Object.values(this.byName)) {
      queue.on('error', (e) => this.log.warn(`queue ${queue.name}: ${e.message}`));
    }
  }

  get(name: QueueName): Queue {
    return this.byName[name];
  }

  all(): Queue[] {
    return Object.values(this.byName);
  }
}
