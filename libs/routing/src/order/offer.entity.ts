import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from '@tandem/persistence';

/** OPEN while the supplier may answer; closed as ACCEPTED, DECLINED, EXPIRED or WITHDRAWN. */
export type OfferStatus = 'OPEN' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN';

@Entity('offers')
export class OfferEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId!: string;

  @Column({ name: 'capability_id', type: 'uuid', nullable: true })
  capabilityId!: string | null;

  /** The UTC day of the order's deliverBy whose capacity this offer holds (YYYY-MM-DD). */
  @Column({ name: 'capacity_day', type: 'date' })
  capacityDay!: string;

  @BigIntColumn({ name: 'price_minor' })
  priceMinor!: bigint;

  @Column('text')
  status!: OfferStatus;

  @Column({ name: 'offered_at', type: 'timestamptz' })
  offeredAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
