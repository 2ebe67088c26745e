import { Column, Entity, PrimaryColumn } from 'typeorm';
import { FeeSchedule } from '../fee-terms/fee-schedule';

@Entity('networks')
export class NetworkEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'client_fee_bps', type: 'int' })
  clientFeeBps!: number;

  @Column({ name: 'supplier_fee_bps', type: 'int' })
  supplierFeeBps!: number;

  @Column({ name: 'partner_share_bps', type: 'int' })
  partnerShareBps!: number;

  @Column({ name: 'partner_share_months', type: 'int' })
  partnerShareMonths!: number;

  @Column({ name: 'offer_timeout_seconds', type: 'int' })
  offerTimeoutSeconds!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export function feeScheduleOf(n: NetworkEntity): FeeSchedule {
  return {
    clientFeeBps: n.clientFeeBps,
    supplierFeeBps: n.supplierFeeBps,
    partnerShareBps: n.partnerShareBps,
    partnerShareMonths: n.partnerShareMonths,
    offerTimeoutSeconds: n.offerTimeoutSeconds,
  };
}
