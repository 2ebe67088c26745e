import * as path from 'path';
import type { DineroCurrency } from 'dinero.js';

type DineroModule = typeof import('dinero.js');

/**
 * dinero.js 2 ships only ES modules. Node ≥ 20.19 can require() them, so the
 * app loads the package normally. Jest's CommonJS sandbox cannot before Node
 * 24.9 and our Jest config does not transform node_modules, so under Jest we
 * fall back to dinero's own UMD build of the same release (same table, no copy).
 */
function loadDinero(): DineroModule {
  try {
    return require('dinero.js') as DineroModule;
  } catch (esmError) {
    try {
      const esmEntry = require.resolve('dinero.js');
      return require(path.join(path.dirname(esmEntry), '..', 'umd', 'index.production.js')) as DineroModule;
    } catch {
      throw new Error(
        `@tandem/money could not load dinero.js (ESM only; needs Node >= 20.19): ${(esmError as Error).message}`,
      );
    }
  }
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
