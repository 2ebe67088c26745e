import { Injectable, OnModuleInit } from '@nestjs/common';
import { OutboxService, QueueRegistry } from '@tandem/jobs';
import { MetricsSources, outboxMetrics, queueMetrics } from '@tandem/observability';

/**
 * What the worker adds to its /metrics: the outbox backlog (rows not yet
 * relayed, age of the oldest) and BullMQ's own counts of every queue
 * (bullmq_job_count{queue,state}, bullmq_job_completed_total, bullmq_job_failed_total).
 * Both are read on each scrape.
 */
@Injectable()
export class WorkerMetrics implements OnModuleInit {
  constructor(
    private readonly sources: MetricsSources,
    private readonly queues: QueueRegistry,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    const gauges = outboxMetrics();
    this.sources.add(async () => {
      const backlog = await this.outbox.backlog();
      gauges.backlog.set(backlog.rows);
      gauges.oldestAgeSeconds.set(backlog.oldestAgeSeconds);
      return '';
    });
    this.sources.add(queueMetrics(() => this.queues.all()));
  }
}
