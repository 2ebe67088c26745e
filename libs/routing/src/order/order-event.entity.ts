import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OrderEventType =
  | 'placed'
  | 'offered'
  | 'declined'
  | 'expired'
  | 'withdrawn'
  | 'unroutable'
  | 'accepted'
  | 'fulfilled'
  | 'cancelled'
  | 'refunded'
  | 'partially_refunded'
  | 'disputed'
  | 'dispute_rejected';

/** The history of an order: appended on every state change, never rewritten. */
@Entity('order_events')
export class OrderEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column('text')
  type!: OrderEventType;

  /** actorLabel of @tandem/auth, or 'system' for the worker. */
  @Column('text')
  actor!: string;

  /** The supplier the event is about (offered, declined, expired, withdrawn, accepted, fulfilled). */
  @Column({ name: 'supplier_id', type: 'uuid', nullable: true })
  supplierId!: string | null;

  @Column({ type: 'jsonb' })
  detail!: { reason?: string | null; [k: string]: unknown };

  /** When the event was written: set by the database (clock_timestamp()), never by the caller. */
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;
}
