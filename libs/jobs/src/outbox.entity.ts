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

  /** W3C trace context of the span that wrote the row (libs/jobs/src/trace-context.ts); null when none was traced. */
  @Column({ name: 'trace_context', type: 'jsonb', nullable: true })
  traceContext!: Record<string, string> | null;
}
