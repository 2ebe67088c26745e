import { Injectable } from '@nestjs/common';
import { ConnectionGate } from '@tandem/persistence';

/**
 * Connections of the worker's pool the webhooks queue's jobs hold at most at
 * once. A delivery touches the database only to read its row and to record
 * its attempt, each through this gate, and waits on its receiver holding
 * none: the queue runs many more jobs than this (apps/worker's concurrency.ts).
 */
export const WEBHOOK_CONNECTIONS = 4;

/** The webhooks queue's share of the pool: fan-outs and the reads and records of deliveries go through it. */
@Injectable()
export class WebhookConnectionGate extends ConnectionGate {
  constructor() {
    super(WEBHOOK_CONNECTIONS);
  }
}
