import { QUEUES } from '../queues';

/** Scale-out jobs (issue 15), e.g. partitions created ahead: each job's payload (ids only) and its queue; job-types.ts merges every area. */
export interface GrowthJobPayloads {
  /** Daily: the ledger's monthly partitions of this month and the next three, where missing. */
  'create-ledger-partitions': Record<string, never>;
}

export const GROWTH_JOB_QUEUE = {
  'create-ledger-partitions': QUEUES.maintenance,
} as const;
