import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('text')
  queue!: string;

  @Column('text')
  name!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column({ name: 'run_at', type: 'timestamptz' })
  runAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'relayed_at', type: 'timestamptz', nullable: true })
  relayedAt!: Date | null;

  /** The BullMQ job id of the job this row becomes (`outbox-<job_key>`): random, so it never meets an old job's id. */
  @Column({ name: 'job_key', type: 'uuid', default: () => 'gen_random_uuid()' })
  jobKey!: string;

  /** W3C trace context of the span that wrote the row (libs/jobs/src/trace-context.ts); null when none was traced. */
  @Column({ name: 'trace_context', type: 'jsonb', nullable: true })
  traceContext!: Record<string, string> | null;
}
