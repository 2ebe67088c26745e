import { badInput, codePointLength, normalizeCategory, normalizeRegion, requireIntInRange, requireStorableText } from '@tandem/common';
import { Money, parseMoney } from '@tandem/money';

/** What placeOrder needs, before validation (the GraphQL input without clientId). */
export interface RawOrderInput {
  category: string;
  region: string;
  quantity: number;
  deliverBy: Date;
  budget: { amount: string; currency: string };
  idempotencyKey: string;
  notes?: string | null;
}

/** The order as it is stored: every value normalised. */
export interface NormalizedOrderInput {
  category: string;
  region: string;
  quantity: number;
  deliverBy: Date;
  budget: Money;
  idempotencyKey: string;
  notes: string | null;
}

export const MAX_QUANTITY = 1_000_000;
export const MAX_NOTES = 2000;
export const MAX_IDEMPOTENCY_KEY = 200;

/** Validates and normalises order input; throws BAD_USER_INPUT naming the first bad field. */
export function normalizeOrderInput(input: RawOrderInput, now: Date): NormalizedOrderInput {
  const category = normalizeCategory(input.category);
  const region = normalizeRegion(input.region);
  const quantity = requireIntInRange(input.quantity, 'quantity', 1, MAX_QUANTITY);
  const deliverBy = input.deliverBy;
  if (!(deliverBy instanceof Date) || Number.isNaN(deliverBy.getTime())) throw badInput('deliverBy must be a date-time', 'deliverBy');
  if (deliverBy.getTime() <= now.getTime()) throw badInput('deliverBy must be in the future', 'deliverBy');
  const budget = parseMoney(input.budget, { field: 'budget', positive: true });
  const notes = input.notes ?? null;
  if (notes !== null) requireStorableText(notes, 'notes');
  if (notes !== null && codePointLength(notes) > MAX_NOTES) throw badInput(`notes must be at most ${MAX_NOTES} characters`, 'notes');
  const key = input.idempotencyKey;
  if (typeof key !== 'string' || codePointLength(key) < 1 || codePointLength(key) > MAX_IDEMPOTENCY_KEY) {
    throw badInput(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY} characters`, 'idempotencyKey');
  }
  requireStorableText(key, 'idempotencyKey');
  return { category, region, quantity, deliverBy, budget, idempotencyKey: key, notes };
}

/**
 * Canonical JSON of the normalised input (keys sorted, amounts in minor units,
 * instants in UTC): equal for "120" and "120.00", for two spellings of one
 * instant, and for absent and null notes.
 */
export function orderFingerprint(o: NormalizedOrderInput): string {
  return JSON.stringify({
    budget: { currency: o.budget.currency, minor: o.budget.minor.toString() },
    category: o.category,
    deliverBy: o.deliverBy.toISOString(),
    notes: o.notes,
    quantity: o.quantity,
    region: o.region,
  });
}
