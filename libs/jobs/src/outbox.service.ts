import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JOB_QUEUE, JobName, JobOptions, JobPayloads } from './job-types';

/**
 * The producer: jobs are written to the outbox inside the caller's transaction,
 * so they exist exactly when the change they follow was committed.
 */
@Injectable()
export class OutboxService {
  async enqueue<N extends JobName>(em: EntityManager, name: N, payload: JobPayloads[N], options: JobOptions = {}): Promise<void> {
    await em.query(
      `INSERT INTO outbox (queue, name, payload, run_at) VALUES ($1, $2, $3, coalesce($4, now()))`,
      [JOB_QUEUE[name], name, JSON.stringify(payload), options.runAt ?? null],
    );
    // Wakes the relay at once instead of at its next poll; delivered only on commit.
    await em.query(`SELECT pg_notify('tandem_outbox', '')`);
  }
}
