import type { VariablesOf } from '../graphql/graphql';
import type { SaveCapabilityMutation } from '../graphql/supplier-operations';
import { fromMinor, toMinor, type MoneyValue } from '../lib/money';

/*
 * The capabilities page's arithmetic, kept free of React so the portal suite
 * can check it: what a form's values change, and a cost per order.
 */

export interface EditableCapability {
  id: string;
  category: string;
  regions: readonly string[];
  dailyCapacity: number;
  leadTimeHours: number;
  unitPrice: { amount: string; currency: string };
}

export type FormField = 'amount' | 'regions' | 'dailyCapacity' | 'leadTimeHours';
export type FormValues = Record<FormField, string>;
export type FieldErrors = Partial<Record<FormField, string>>;
export type UpdateInput = VariablesOf<typeof SaveCapabilityMutation>['input'];

const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const AMOUNT = /^\d+(?:\.(\d+))?$/;
const INT_MAX = 2_147_483_647;

export const valuesOf = (c: EditableCapability): FormValues => ({
  amount: c.unitPrice.amount,
  regions: c.regions.join(', '),
  dailyCapacity: String(c.dailyCapacity),
  leadTimeHours: String(c.leadTimeHours),
});

const splitRegions = (s: string) => s.split(/[\s,]+/).filter(Boolean);

/**
 * The changed fields as an update, or the errors that keep it from being sent.
 * These checks mirror the API's (libs/network validateCapabilityChange); the API stays the judge.
 */
export function capabilityChange(c: EditableCapability, v: FormValues): { input: UpdateInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const input: UpdateInput = {};
  const decimals = toMinor(c.unitPrice.amount).decimals;
  const amount = v.amount.trim();
  const m = AMOUNT.exec(amount);
  if (!m) errors.amount = 'Give a price such as 120.00.';
  else if ((m[1]?.length ?? 0) > decimals) errors.amount = `At most ${decimals} decimal places in ${c.unitPrice.currency}.`;
  else if (toMinor(amount).minor <= 0n) errors.amount = 'The price must be more than zero.';
  else if (toMinor(amount).minor * 10n ** BigInt(decimals - (m[1]?.length ?? 0)) !== toMinor(c.unitPrice.amount).minor) {
    input.unitPrice = { amount, currency: c.unitPrice.currency };
  }

  const regions = [...new Set(splitRegions(v.regions).map((r) => r.toUpperCase()))];
  if (regions.length === 0) errors.regions = 'Name at least one region.';
  else if (regions.some((r) => !CODE.test(r))) errors.regions = 'Regions are 1 to 64 letters, digits, - or _.';
  else if (regions.join(',') !== c.regions.join(',')) input.regions = regions;

  const whole = (s: string, min: number, field: 'dailyCapacity' | 'leadTimeHours', words: string) => {
    const n = Number(s.trim());
    if (!/^\d+$/.test(s.trim()) || n < min || n > INT_MAX) errors[field] = words;
    else if (n !== c[field]) input[field] = n;
  };
  whole(v.dailyCapacity, 1, 'dailyCapacity', 'A whole number of orders, at least 1.');
  whole(v.leadTimeHours, 0, 'leadTimeHours', 'A whole number of hours, 0 or more.');
  return { input, errors };
}

/** fees / orders in minor units, rounded half away from zero, as the API rounds every amount. */
export function perOrder(fees: MoneyValue, orders: number): MoneyValue {
  const { minor, decimals } = toMinor(fees.amount);
  const n = BigInt(orders);
  const magnitude = ((minor < 0n ? -minor : minor) * 2n + n) / (2n * n);
  return { amount: fromMinor(minor < 0n ? -magnitude : magnitude, decimals), currency: fees.currency };
}

export interface PeriodFees {
  id: string;
  periodStart: string;
  periodEnd: string;
  ordersAsSupplier: number;
  supplierFees: MoneyValue;
}

/** Each settled period's supplier fees per order fulfilled in it, oldest first: the acquisition cost over time. */
export function costByPeriod(statements: readonly PeriodFees[]): { id: string; periodStart: string; periodEnd: string; orders: number; cost: MoneyValue }[] {
  return statements
    .filter((s) => s.ordersAsSupplier > 0)
    .map((s) => ({
      id: s.id,
      periodStart: s.periodStart,
      periodEnd: s.periodEnd,
      orders: s.ordersAsSupplier,
      cost: perOrder(s.supplierFees, s.ordersAsSupplier),
    }))
    .sort((a, b) => (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0));
}
