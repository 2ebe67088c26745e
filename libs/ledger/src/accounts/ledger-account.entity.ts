import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '@tandem/persistence';

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

  /** Cached sum of all the account's postings, kept by a trigger on postings (checked by LedgerService.verify). */
  @BigIntColumn({ name: 'balance_minor' })
  balanceMinor!: bigint;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
