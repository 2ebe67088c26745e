import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context of the span that wrote an outbox row (W3C traceparent and
 * tracestate), so the job it becomes continues the request's trace. Null when
 * tracing is off or nothing was traced; adding a nullable column rewrites no row.
 */
export class OutboxTraceContext1797500000000 implements MigrationInterface {
  name = 'OutboxTraceContext1797500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN trace_context jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN trace_context`);
  }
}
