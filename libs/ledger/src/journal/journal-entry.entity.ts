import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One balanced set of postings. Append-only: the database refuses UPDATE and DELETE. */
@Entity('journal_entries')
export class JournalEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** Unique: a second post with the same key posts nothing. */
  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column('text')
  kind!: string;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column({ name: 'statement_id', type: 'uuid', nullable: true })
  statementId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
