import { QUEUES } from '../queues';

/** Relationship list jobs (issue 14): each job's payload (ids only) and its queue; job-types.ts merges every area. */
export interface RelationshipJobPayloads {
  /** Periodic: refresh the relationships list for the members whose orders or postings changed since the last refresh. */
  'refresh-relationships': Record<string, never>;
}

export const RELATIONSHIP_JOB_QUEUE = {
  'refresh-relationships': QUEUES.health,
} as const;
