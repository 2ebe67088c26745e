import { Injectable } from '@nestjs/common';
import { ConnectionGate } from '@tandem/persistence';

/**
 * Connections of the worker's pool the routing queue's jobs hold at most at
 * once: routing passes and expiries each hold one for their transaction, and
 * the shared "is it still ROUTING" read of route-order jobs one per batch. The
 * queue runs more jobs than this (apps/worker's concurrency.ts), so the jobs
 * waiting here gather into that read's batches instead of one read each.
 */
export const ROUTING_CONNECTIONS = 4;

/** The routing queue's share of the pool (RoutingJobs runs all its database work through it). */
@Injectable()
export class RoutingConnectionGate extends ConnectionGate {
  constructor() {
    super(ROUTING_CONNECTIONS);
  }
}
