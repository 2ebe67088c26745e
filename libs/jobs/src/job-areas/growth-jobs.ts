/** Scale-out jobs (issue 15), e.g. partitions created ahead: each job's payload (ids only) and its queue; job-types.ts merges every area. */
export type GrowthJobPayloads = Record<never, never>;

export const GROWTH_JOB_QUEUE = {} as const;
