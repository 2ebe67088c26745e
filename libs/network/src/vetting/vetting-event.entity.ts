import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change of a supplier's vetting status; the history is never rewritten. */
@Entity('vetting_events')
export class VettingEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** Who made the change (actorLabel of @tandem/auth). */
  @Column('text')
  actor!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
