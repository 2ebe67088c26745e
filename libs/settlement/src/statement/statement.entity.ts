import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from '@tandem/persistence';

export type StatementStatus = 'DUE' | 'PAID';

/** One member's closed activity in one currency; its figures come from the postings it closed. */
@Entity('statements')
export class StatementEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart!: Date;

  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd!: Date;

  @Column('text')
  status!: StatementStatus;

  @Column({ name: 'orders_as_client', type: 'int' })
  ordersAsClient!: number;

  @Column({ name: 'orders_as_supplier', type: 'int' })
  ordersAsSupplier!: number;

  @BigIntColumn({ name: 'purchases_minor' })
  purchasesMinor!: bigint;

  @BigIntColumn({ name: 'client_fees_minor' })
  clientFeesMinor!: bigint;

  @BigIntColumn({ name: 'earned_business_minor' })
  earnedBusinessMinor!: bigint;

  @BigIntColumn({ name: 'supplier_fees_minor' })
  supplierFeesMinor!: bigint;

  @BigIntColumn({ name: 'partner_shares_minor' })
  partnerSharesMinor!: bigint;

  /** Positive: the hub pays the member. */
  @BigIntColumn({ name: 'net_minor' })
  netMinor!: bigint;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
