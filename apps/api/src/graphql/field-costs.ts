import { DEFAULT_PAGE_SIZE } from '@tandem/common';

/**
 * What one field costs, keyed by "Type.field". Every field not listed costs 1
 * plus what it selects; docs/security/graphql.md explains the model.
 *
 * - `weight`: the field's own cost. Fields that compute on read (health,
 *   insight) are weighed by what they do, not by the one row they return.
 * - `items`: how many items a list returns at most (its real maximum), or
 *   for a paged list the size of the default page when `first` is absent.
 * - `heavy`: counts towards MAX_HEAVY_PER_REQUEST, however cheap the rest of
 *   the request is.
 */
export interface FieldCost {
  weight?: number;
  items?: number;
  heavy?: boolean;
}

/** A list this table does not name costs like a default page of it. */
export const DEFAULT_LIST_ITEMS = DEFAULT_PAGE_SIZE;

/** One relationship health reads the member's whole window of orders and postings (5 to 8 ms measured). */
const HEALTH_WEIGHT = 500;

/** Network insight reads every member's history once per request. */
const INSIGHT_WEIGHT = 1_000;

export const FIELD_COSTS: Readonly<Record<string, FieldCost>> = {
  // Computed on read.
  'Query.relationshipHealth': { weight: HEALTH_WEIGHT, heavy: true },
  'Mutation.setAcquisitionBaseline': { weight: HEALTH_WEIGHT, heavy: true },
  'Query.networkInsight': { weight: INSIGHT_WEIGHT, heavy: true },

  // Lists with a known maximum (libs/routing: MAX_ROUTING_ROWS; libs/health: 36 months, 3 roles, top 20).
  'Order.routing': { items: 100 },
  'Order.events': { items: 50 },
  'FeeBreakdown.partnerShares': { items: 2 },
  'NetworkInsight.cohorts': { items: 36 },
  'NetworkInsight.membership': { items: 36 * 3 },
  'CategoryPowerBalance.topSuppliers': { items: 20 },

  // Introspection walks the schema's types once: `types` counts once, the lists
  // inside each type as any list, so nesting beyond the standard query multiplies out.
  '__Schema.types': { items: 1 },
  // No field of the schema takes more than a handful of arguments.
  '__Field.args': { items: 5 },

  // Paged lists whose default page is not the common one.
  'Query.healthHistory': { items: 100 },
};

/** A paged list (`first`) costs the page asked for; without `first`, the default page (libs/common/src/connection.ts). */
export const PAGED_DEFAULT_ITEMS = DEFAULT_PAGE_SIZE;
