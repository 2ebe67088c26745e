import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Role, VettingStatus } from '@tandem/common';
import { BigIntColumn } from '@tandem/persistence';
import { FeeSchedule } from '../fee-terms/fee-schedule';

@Entity('members')
export class MemberEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column('text')
  name!: string;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  /** Set for suppliers only. */
  @Column({ name: 'vetting_status', type: 'text', nullable: true })
  vettingStatus!: VettingStatus | null;

  @Column({ name: 'referred_by_id', type: 'uuid', nullable: true })
  referredById!: string | null;

  /** This member's own fee terms over the network's schedule (only the fields it overrides). */
  @Column({ name: 'term_overrides', type: 'jsonb' })
  termOverrides!: Partial<FeeSchedule>;

  /** What winning a customer costs this supplier elsewhere, in the network's currency (minor units). */
  @BigIntColumn({ name: 'acquisition_baseline_minor', nullable: true })
  acquisitionBaselineMinor!: bigint | null;

  @Column({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
