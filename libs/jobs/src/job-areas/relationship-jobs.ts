/** Relationship list jobs (issue 14): each job's payload (ids only) and its queue; job-types.ts merges every area. */
export type RelationshipJobPayloads = Record<never, never>;

export const RELATIONSHIP_JOB_QUEUE = {} as const;
