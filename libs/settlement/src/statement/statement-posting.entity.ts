import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A posting a statement closed. The primary key makes closing a posting twice impossible. */
@Entity('statement_postings')
export class StatementPostingEntity {
  @PrimaryColumn({ name: 'posting_id', type: 'bigint' })
  postingId!: string;

  @Column({ name: 'statement_id', type: 'uuid' })
  statementId!: string;
}
