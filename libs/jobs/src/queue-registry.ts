import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { QUEUES, QueueName } from './job-types';

/** The BullMQ queues by name, for code that picks one at run time (the relay). */
@Injectable()
export class QueueRegistry {
  private readonly byName: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QUEUES.routing) routing: Queue,
    @InjectQueue(QUEUES.ledger) ledger: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.health) health: Queue,
  ) {
    this.byName = { routing, ledger, maintenance, health };
  }

  get(name: QueueName): Queue {
    return this.byName[name];
  }

  all(): Queue[] {
    return Object.values(this.byName);
  }
}
