/** Why a supplier was not eligible, in precedence order: the first that applies is the one given (docs/api.md, "Routing"). */
export const EXCLUSION_REASONS = ['DECLINED', 'EXPIRED', 'NOT_VETTED', 'CURRENCY', 'REGION', 'OVER_BUDGET', 'LEAD_TIME', 'CAPACITY', 'SELF'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
