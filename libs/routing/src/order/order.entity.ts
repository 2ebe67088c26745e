import { Column, Entity, PrimaryColumn } from 'typeorm';
import { OrderStatus } from '@tandem/common';
import { BigIntColumn } from '@tandem/persistence';

/** One row of the latest routing pass (orders.routing). */
export interface RoutingRow {
  supplierId: string;
  eligible: boolean;
  reason: string | null;
  score: number | null;
}

@Entity('orders')
export class OrderEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @Column('text')
  category!: string;

  @Column('text')
  region!: string;

  @Column('int')
  quantity!: number;

  @Column({ name: 'deliver_by', type: 'timestamptz' })
  deliverBy!: Date;

  @BigIntColumn({ name: 'budget_minor' })
  budgetMinor!: bigint;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column('text')
  status!: OrderStatus;

  /** The supplier holding the open offer, or the one that accepted; null between offers. */
  @Column({ name: 'supplier_id', type: 'uuid', nullable: true })
  supplierId!: string | null;

  @Column({ name: 'capability_id', type: 'uuid', nullable: true })
  capabilityId!: string | null;

  @BigIntColumn({ name: 'price_minor', nullable: true })
  priceMinor!: bigint | null;

  @Column({ name: 'offer_expires_at', type: 'timestamptz', nullable: true })
  offerExpiresAt!: Date | null;

  /** The open offer, or the accepted one (kept so a cancellation can release its capacity). */
  @Column({ name: 'current_offer_id', type: 'uuid', nullable: true })
  currentOfferId!: string | null;

  @Column({ type: 'jsonb' })
  routing!: RoutingRow[];

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ name: 'input_fingerprint', type: 'text' })
  inputFingerprint!: string;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'fulfilled_at', type: 'timestamptz', nullable: true })
  fulfilledAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'refunded_at', type: 'timestamptz', nullable: true })
  refundedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
