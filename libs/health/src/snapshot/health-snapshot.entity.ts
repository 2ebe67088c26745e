import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '@tandem/persistence';
import { numericTransformer } from './numeric.transformer';

/** A member's health as the snapshot job computed it: the history behind trends and at-risk events. */
@Entity('health_snapshots')
export class HealthSnapshotEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;

  @Column({ type: 'numeric', precision: 4, scale: 1, transformer: numericTransformer })
  score!: number;

  @Column({ type: 'numeric', precision: 4, scale: 2, transformer: numericTransformer })
  credibility!: number;

  @Column({ type: 'numeric', precision: 4, scale: 2, transformer: numericTransformer })
  reliability!: number;

  @Column({ type: 'numeric', precision: 4, scale: 2, transformer: numericTransformer })
  intimacy!: number;

  @Column({ name: 'self_orientation', type: 'numeric', precision: 4, scale: 2, transformer: numericTransformer })
  selfOrientation!: number;

  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericTransformer })
  trust!: number;

  @BigIntColumn({ name: 'value_to_member_minor' })
  valueToMemberMinor!: bigint;

  @BigIntColumn({ name: 'value_to_hub_minor' })
  valueToHubMinor!: bigint;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'at_risk', type: 'boolean' })
  atRisk!: boolean;
}
