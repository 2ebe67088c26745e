import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from '@tandem/persistence';

/** What a supplier offers in one category: one capability per supplier and category. */
@Entity('capabilities')
export class CapabilityEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId!: string;

  /** Normalised: trimmed, lower case. */
  @Column('text')
  category!: string;

  /** Normalised: trimmed, upper case. */
  @Column({ type: 'text', array: true })
  regions!: string[];

  @Column({ name: 'daily_capacity', type: 'int' })
  dailyCapacity!: number;

  @Column({ name: 'lead_time_hours', type: 'int' })
  leadTimeHours!: number;

  @BigIntColumn({ name: 'unit_price_minor' })
  unitPriceMinor!: bigint;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
