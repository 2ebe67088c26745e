import { SettingsChange, badInput, numberSetting, obeys, parseSettingsChange } from '@tandem/common';

/** How routing weighs what it knows of each eligible supplier; stored per network in routing_policies. */
export interface RoutingPolicy {
  priceWeight: number;
  reliabilityWeight: number;
  healthWeight: number;
  spreadWeight: number;
}

export type RoutingPolicyChange = SettingsChange<keyof RoutingPolicy>;

/** A network's stored weights (routing_policies): null or absent means the default. */
export type StoredRoutingPolicy = { [K in keyof RoutingPolicy]?: unknown };

export const DEFAULT_ROUTING_POLICY: Readonly<RoutingPolicy> = Object.freeze({
  priceWeight: 0.4,
  reliabilityWeight: 0.3,
  healthWeight: 0.15,
  spreadWeight: 0.15,
});

const KEYS = Object.keys(DEFAULT_ROUTING_POLICY) as (keyof RoutingPolicy)[];
export const MAX_WEIGHT = 1000;

const WEIGHT = numberSetting(0, MAX_WEIGHT);
const RULES: { readonly [K in keyof RoutingPolicy]: typeof WEIGHT } = {
  priceWeight: WEIGHT,
  reliabilityWeight: WEIGHT,
  healthWeight: WEIGHT,
  spreadWeight: WEIGHT,
};

/** The policy in force: the stored weights over the defaults (a stored value that is not a valid weight is ignored). */
export function policyFrom(stored: StoredRoutingPolicy | null | undefined): RoutingPolicy {
  const policy: RoutingPolicy = { ...DEFAULT_ROUTING_POLICY };
  for (const key of KEYS) {
    const v = stored?.[key];
    if (obeys(WEIGHT, v)) policy[key] = v;
  }
  return KEYS.some((k) => policy[k] > 0) ? policy : { ...DEFAULT_ROUTING_POLICY };
}

/** Merges a change (absent or null: leave as it is) and checks it: weights 0 to MAX_WEIGHT, at least one above 0. */
export function applyRoutingPolicyChange(current: RoutingPolicy, change: RoutingPolicyChange): RoutingPolicy {
  const next = { ...current, ...parseSettingsChange(RULES, change) };
  if (!KEYS.some((k) => next[k] > 0)) throw badInput('at least one routing weight must be greater than 0');
  return next;
}
