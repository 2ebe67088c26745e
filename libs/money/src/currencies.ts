import type { DineroCurrency } from 'dinero.js';

type DineroModule = typeof import('dinero.js');

/** dinero.js 2 is ESM only; Node >= 20.19 can require() it (Jest compiles it). */
function loadDinero(): DineroModule {
  return require('dinero.js') as DineroModule;
}

/**
 * Where ISO 4217 and dinero disagree, ISO wins. dinero models the ariary (MGA)
 * and the ouguiya (MRU) with a base-5 subunit (1/5); ISO 4217 lists both with
 * two decimal minor units, and amounts here are always base 10.
 * To add an ISO code dinero lacks, add it here too.
 */
const ISO_EXPONENT_OVERRIDES: Readonly<Record<string, number>> = { MGA: 2, MRU: 2 };

const ISO_CODE = /^[A-Z]{3}$/;

function isDineroCurrency(value: unknown): value is DineroCurrency<number> {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<DineroCurrency<number>>;
  return typeof c.code === 'string' && ISO_CODE.test(c.code) && typeof c.exponent === 'number';
}

function buildExponents(dinero: DineroModule): ReadonlyMap<string, number> {
  const table = new Map<string, number>();
  for (const value of Object.values(dinero)) {
    if (!isDineroCurrency(value)) continue;
    const override = ISO_EXPONENT_OVERRIDES[value.code];
    if (override !== undefined) {
      table.set(value.code, override);
    } else if (value.base === 10) {
      table.set(value.code, value.exponent);
    } else {
      // A non-decimal currency we have not reviewed would be formatted wrongly:
      // refuse to start rather than mis-state amounts.
      throw new Error(`dinero.js lists ${value.code} with a non-decimal base; add an ISO 4217 override`);
    }
  }
  for (const [code, exponent] of Object.entries(ISO_EXPONENT_OVERRIDES)) table.set(code, exponent);
  // Guards against a dinero layout change silently emptying the table.
  if (!table.has('USD') || table.size < 150) throw new Error('dinero.js currency table not found');
  return table;
}

/** ISO 4217 code (upper case) → number of minor-unit digits. */
export const CURRENCY_EXPONENTS: ReadonlyMap<string, number> = buildExponents(loadDinero());
