import { badInput } from '@tandem/common';

/** How routing weighs what it knows of each eligible supplier; stored per network in networks.routing_policy. */
export interface RoutingPolicy {
  priceWeight: number;
  reliabilityWeight: number;
  healthWeight: number;
  spreadWeight: number;
}

export type RoutingPolicyChange = { [K in keyof RoutingPolicy]?: number | null };

export const DEFAULT_ROUTING_POLICY: Readonly<RoutingPolicy> = Object.freeze({
  priceWeight: 0.4,
  reliabilityWeight: 0.3,
  healthWeight: 0.15,
  spreadWeight: 0.15,
});

const KEYS = Object.keys(DEFAULT_ROUTING_POLICY) as (keyof RoutingPolicy)[];
export const MAX_WEIGHT = 1000;

/** The policy in force: the stored weights over the defaults (a stored value that is not a valid weight is ignored). */
export function policyFrom(stored: Record<string, unknown> | null | undefined): RoutingPolicy {
  const policy: RoutingPolicy = { ...DEFAULT_ROUTING_POLICY };
  for (const key of KEYS) {
    const v = stored?.[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_WEIGHT) policy[key] = v;
  }
  return KEYS.some((k) => policy[k] > 0) ? policy : { ...DEFAULT_ROUTING_POLICY };
}

/** Merges a change (absent or null: leave as it is) and checks it: weights 0 to MAX_WEIGHT, at least one above 0. */
export function applyRoutingPolicyChange(current: RoutingPolicy, change: RoutingPolicyChange): RoutingPolicy {
  const next = { ...current };
  for (const key of KEYS) {
    const v = change[key];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_WEIGHT) {
      throw badInput(`${key} must be a number from 0 to ${MAX_WEIGHT}`, key);
    }
    next[key] = v;
  }
  if (!KEYS.some((k) => next[k] > 0)) throw badInput('at least one routing weight must be greater than 0');
  return next;
}
