import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One settlement run of a network (manual or scheduled); it may have made no statements. */
@Entity('settlement_runs')
export class SettlementRunEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
