import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from './numeric.transformer';

/** A change of a member's at-risk flag (into or out of risk), with the reason in plain words. */
@Entity('health_events')
export class HealthEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'at_risk', type: 'boolean' })
  atRisk!: boolean;

  @Column({ type: 'numeric', precision: 4, scale: 1, transformer: numericTransformer })
  score!: number;

  @Column('text')
  reason!: string;
}
