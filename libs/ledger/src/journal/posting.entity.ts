import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '@tandem/persistence';

/** A signed amount on one account: debit positive, credit negative. Append-only. */
@Entity('postings')
export class PostingEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'entry_id', type: 'bigint' })
  entryId!: string;

  @Column({ name: 'account_id', type: 'bigint' })
  accountId!: string;

  @BigIntColumn({ name: 'amount_minor' })
  amountMinor!: bigint;

  /** What the amount is (PURCHASE, CLIENT_FEE, ...); CLOSE is reserved for closing entries. */
  @Column('text')
  line!: string;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
