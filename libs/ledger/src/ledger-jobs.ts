import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SharedQueueHandlers } from '@tandem/jobs';
import { createPartitionsAhead } from './partitions/ledger-partitions.repository';

/** Months of partitions kept ready beyond the current one, so the DEFAULT partition stays empty. */
export const PARTITION_MONTHS_AHEAD = 3;

/** The ledger's job: its partitions, created ahead (idempotent: an existing partition is left alone). */
@Injectable()
export class LedgerJobs {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  readonly maintenance: SharedQueueHandlers<'maintenance', 'create-ledger-partitions'> = {
    'create-ledger-partitions': async () => {
      await createPartitionsAhead(this.dataSource.manager, PARTITION_MONTHS_AHEAD);
    },
  };
}
