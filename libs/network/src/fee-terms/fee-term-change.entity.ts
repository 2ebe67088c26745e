import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { FeeSchedule } from './fee-schedule';

/** History of fee schedules: the network's (memberId null) or a member's overrides, from effectiveAt on. */
@Entity('fee_term_changes')
export class FeeTermChangeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ name: 'member_id', type: 'uuid', nullable: true })
  memberId!: string | null;

  /** For the network: the full schedule; for a member: its overrides after the change. */
  @Column('jsonb')
  terms!: Partial<FeeSchedule>;

  @Column({ name: 'effective_at', type: 'timestamptz' })
  effectiveAt!: Date;
}
