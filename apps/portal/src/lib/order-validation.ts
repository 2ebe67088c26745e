/*
 * Client-side checks that mirror placeOrder's own (libs/routing order-intake):
 * the API stays the judge, this only tells a person sooner and next to the field.
 */

export const MAX_QUANTITY = 1_000_000;
export const MAX_NOTES = 2000;
const MAX_DIGITS = 30;
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const CURRENCY = /^[A-Za-z]{3}$/;

/** The form as typed: every value a string, as inputs give them. */
export interface OrderForm {
  category: string;
  region: string;
  quantity: string;
  /** A datetime-local value (the browser's time zone) or an ISO date-time with an offset. */
  deliverBy: string;
  budgetAmount: string;
  currency: string;
  notes: string;
}

export type OrderField = keyof OrderForm;
export type OrderErrors = Partial<Record<OrderField, string>>;

/** The OrderInput the form becomes, without the idempotency key. */
export interface OrderInputValue {
  category: string;
  region: string;
  quantity: number;
  deliverBy: string;
  budget: { amount: string; currency: string };
  notes: string | null;
}

export interface ValidationContext {
  now: Date;
  /** Minor digits of the currency; null: the API does not know the currency; undefined: not known yet. */
  currencyDecimals?: number | null;
}

/** Counts code points, as the API does: an emoji is one character. */
export function codePointLength(s: string): number {
  return [...s].length;
}

/** Parses the deadline: a datetime-local value is read in the browser's zone, then sent in UTC with its offset. */
export function parseDeadline(value: string): Date | null {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function validateOrderForm(form: OrderForm, ctx: ValidationContext): { errors: OrderErrors; input?: OrderInputValue } {
  const errors: OrderErrors = {};
  const category = form.category.trim().toLowerCase();
  if (!CODE.test(category)) errors.category = "Category: 1 to 64 letters, digits, '-' or '_' (e.g. gift-baskets).";
  const region = form.region.trim().toUpperCase();
  if (!CODE.test(region)) errors.region = "Region: 1 to 64 letters, digits, '-' or '_' (e.g. US-NY).";

  const q = form.quantity.trim();
  const quantity = /^-?\d+$/.test(q) ? Number(q) : NaN;
  if (!Number.isInteger(quantity) || quantity < 1) errors.quantity = 'Quantity must be a whole number of at least 1.';
  else if (quantity > MAX_QUANTITY) errors.quantity = `Quantity must be at most ${MAX_QUANTITY.toLocaleString('en')}.`;

  const deadline = parseDeadline(form.deliverBy);
  if (!deadline) errors.deliverBy = 'Choose a delivery date and time.';
  else if (deadline.getTime() <= ctx.now.getTime()) errors.deliverBy = 'The delivery deadline must be in the future.';

  const currency = form.currency.trim().toUpperCase();
  if (!CURRENCY.test(currency) || ctx.currencyDecimals === null) errors.currency = 'Currency must be an ISO 4217 code such as USD.';

  const amount = form.budgetAmount.trim();
  const m = DECIMAL.exec(amount);
  if (!m) {
    errors.budgetAmount = 'Budget must be a number such as 150 or 150.00 (digits and an optional decimal point).';
  } else {
    const [, sign, whole, fraction = ''] = m;
    const decimals = ctx.currencyDecimals;
    if (sign === '-' || /^0*$/.test(whole + fraction)) errors.budgetAmount = 'Budget must be greater than zero.';
    else if (whole.length + fraction.length > MAX_DIGITS) errors.budgetAmount = `Budget has more than ${MAX_DIGITS} digits.`;
    else if (typeof decimals === 'number' && fraction.length > decimals) {
      errors.budgetAmount =
        decimals === 0
          ? `Budget must be a whole number: ${currency} has no minor unit.`
          : `Budget has more than ${decimals} decimal places, the most ${currency} allows.`;
    }
  }

  const notes = form.notes;
  if (codePointLength(notes) > MAX_NOTES)
    errors.notes = `Notes must be at most ${MAX_NOTES.toLocaleString('en')} characters (now ${codePointLength(notes).toLocaleString('en')}).`;

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    input: {
      category,
      region,
      quantity,
      deliverBy: (deadline as Date).toISOString(),
      budget: { amount, currency },
      notes: notes.trim() === '' ? null : notes,
    },
  };
}

/** The form field an API error names (extensions.field), so the message shows next to it. */
export function formFieldOf(apiField: string | undefined): OrderField | undefined {
  switch (apiField) {
    case 'category':
    case 'region':
    case 'quantity':
    case 'deliverBy':
    case 'notes':
      return apiField;
    case 'budget':
    case 'budget.amount':
      return 'budgetAmount';
    case 'budget.currency':
      return 'currency';
    default:
      return undefined;
  }
}

/** Minor digits as the API writes an amount: "0.00" -> 2, "0" -> 0. */
export function decimalsOfAmount(amount: string): number {
  const dot = amount.indexOf('.');
  return dot < 0 ? 0 : amount.length - dot - 1;
}
