import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One account of the chart, per network and currency; created on first use. */
@Entity('ledger_accounts')
export class LedgerAccountEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column('text')
  code!: string;

  /** The owning member for member accounts; null for the hub's. */
  @Column({ name: 'member_id', type: 'uuid', nullable: true })
  memberId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
