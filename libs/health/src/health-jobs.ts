import { Injectable } from '@nestjs/common';
import { JobHandlers } from '@tandem/jobs';
import { RelationshipsService } from './relationships/relationships.service';
import { HealthSnapshotService } from './snapshot/health-snapshot.service';

/** Health's job handlers: the whole health queue. */
@Injectable()
export class HealthJobs {
  constructor(
    private readonly snapshots: HealthSnapshotService,
    private readonly relationships: RelationshipsService,
  ) {}

  readonly health: JobHandlers<'health'> = {
    /** One network, or every network when the job names none. */
    'snapshot-health': async ({ networkId }) => {
      await this.snapshots.run(networkId);
    },
    /** The relationships list: members whose orders or postings changed since the last refresh. */
    'refresh-relationships': async () => {
      await this.relationships.refreshChanged();
    },
  };
}
