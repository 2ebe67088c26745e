import { decimalsOfAmount, formFieldOf, parseDeadline, validateOrderForm, type OrderForm } from './order-validation';

const now = new Date('2026-11-22T12:00:00Z');
const form = (over: Partial<OrderForm> = {}): OrderForm => ({
  category: ' Gift-Baskets',
  region: 'us-ny ',
  quantity: '2',
  deliverBy: '2026-11-25T09:30:00Z',
  budgetAmount: '300.5',
  currency: 'usd',
  notes: 'Welcome 🎁',
  ...over,
});

describe('validateOrderForm', () => {
  it('normalises a valid form into OrderInput as the API would store it', () => {
    expect(validateOrderForm(form(), { now, currencyDecimals: 2 })).toEqual({
      errors: {},
      input: {
        category: 'gift-baskets',
        region: 'US-NY',
        quantity: 2,
        deliverBy: '2026-11-25T09:30:00.000Z',
        budget: { amount: '300.5', currency: 'USD' },
        notes: 'Welcome 🎁',
      },
    });
  });

  it('sends blank notes as null', () => {
    expect(validateOrderForm(form({ notes: '   ' }), { now, currencyDecimals: 2 }).input?.notes).toBeNull();
  });

  it.each([
    ['0', 'Quantity must be a whole number of at least 1.'],
    ['-3', 'Quantity must be a whole number of at least 1.'],
    ['1.5', 'Quantity must be a whole number of at least 1.'],
    ['', 'Quantity must be a whole number of at least 1.'],
    ['1000001', 'Quantity must be at most 1,000,000.'],
  ])('rejects quantity %j', (quantity, message) => {
    const r = validateOrderForm(form({ quantity }), { now, currencyDecimals: 2 });
    expect(r.errors).toEqual({ quantity: message });
    expect(r.input).toBeUndefined();
  });

  it('accepts quantity 1 and 1,000,000', () => {
    expect(validateOrderForm(form({ quantity: '1' }), { now }).input?.quantity).toBe(1);
    expect(validateOrderForm(form({ quantity: '1000000' }), { now }).input?.quantity).toBe(1_000_000);
  });

  it('requires a deadline in the future', () => {
    expect(validateOrderForm(form({ deliverBy: '2020-01-01T00:00:00Z' }), { now }).errors).toEqual({
      deliverBy: 'The delivery deadline must be in the future.',
    });
    expect(validateOrderForm(form({ deliverBy: now.toISOString() }), { now }).errors.deliverBy).toBe('The delivery deadline must be in the future.');
    expect(validateOrderForm(form({ deliverBy: '' }), { now }).errors.deliverBy).toBe('Choose a delivery date and time.');
    expect(validateOrderForm(form({ deliverBy: 'tomorrow' }), { now }).errors.deliverBy).toBe('Choose a delivery date and time.');
    expect(validateOrderForm(form({ deliverBy: '2026-11-22T12:00:01Z' }), { now }).errors).toEqual({});
  });

  it.each([
    ['0', 2, 'Budget must be greater than zero.'],
    ['0.00', 2, 'Budget must be greater than zero.'],
    ['-5', 2, 'Budget must be greater than zero.'],
    ['1.234', 2, 'Budget has more than 2 decimal places, the most USD allows.'],
    ['1.230', 2, 'Budget has more than 2 decimal places, the most USD allows.'],
    ['1e3', 2, 'Budget must be a number such as 150 or 150.00 (digits and an optional decimal point).'],
    ['.5', 2, 'Budget must be a number such as 150 or 150.00 (digits and an optional decimal point).'],
    ['1,000', 2, 'Budget must be a number such as 150 or 150.00 (digits and an optional decimal point).'],
    ['1'.repeat(31), 2, 'Budget has more than 30 digits.'],
  ])('rejects budget %j in a %i-decimal currency', (budgetAmount, currencyDecimals, message) => {
    expect(validateOrderForm(form({ budgetAmount }), { now, currencyDecimals }).errors).toEqual({ budgetAmount: message });
  });

  it('uses the currency digits: none for JPY, three for KWD', () => {
    expect(validateOrderForm(form({ budgetAmount: '1000.5', currency: 'JPY' }), { now, currencyDecimals: 0 }).errors).toEqual({
      budgetAmount: 'Budget must be a whole number: JPY has no minor unit.',
    });
    expect(validateOrderForm(form({ budgetAmount: '1.125', currency: 'kwd' }), { now, currencyDecimals: 3 }).input?.budget).toEqual({
      amount: '1.125',
      currency: 'KWD',
    });
    // Digits not known yet: the decimals check waits for the API.
    expect(validateOrderForm(form({ budgetAmount: '1.125' }), { now }).errors).toEqual({});
  });

  it('rejects an unknown or malformed currency', () => {
    expect(validateOrderForm(form({ currency: 'XYZ' }), { now, currencyDecimals: null }).errors).toEqual({
      currency: 'Currency must be an ISO 4217 code such as USD.',
    });
    expect(validateOrderForm(form({ currency: 'US' }), { now }).errors.currency).toBeDefined();
  });

  it('counts notes in code points, up to 2,000', () => {
    expect(validateOrderForm(form({ notes: '🎁'.repeat(2000) }), { now }).errors).toEqual({});
    expect(validateOrderForm(form({ notes: 'x'.repeat(2001) }), { now }).errors).toEqual({
      notes: 'Notes must be at most 2,000 characters (now 2,001).',
    });
  });

  it('checks category and region codes', () => {
    expect(validateOrderForm(form({ category: ' ', region: 'new york' }), { now }).errors).toEqual({
      category: "Category: 1 to 64 letters, digits, '-' or '_' (e.g. gift-baskets).",
      region: "Region: 1 to 64 letters, digits, '-' or '_' (e.g. US-NY).",
    });
    expect(validateOrderForm(form({ category: 'a'.repeat(65) }), { now }).errors.category).toBeDefined();
    expect(validateOrderForm(form({ category: 'a'.repeat(64) }), { now }).errors).toEqual({});
  });

  it('reports every bad field at once', () => {
    const r = validateOrderForm(form({ quantity: '0', budgetAmount: '0', deliverBy: '2020-01-01T00:00:00Z' }), { now, currencyDecimals: 2 });
    expect(Object.keys(r.errors).sort()).toEqual(['budgetAmount', 'deliverBy', 'quantity']);
  });
});

describe('helpers', () => {
  it('maps API error fields to form fields', () => {
    expect(formFieldOf('budget.amount')).toBe('budgetAmount');
    expect(formFieldOf('budget.currency')).toBe('currency');
    expect(formFieldOf('deliverBy')).toBe('deliverBy');
    expect(formFieldOf('clientId')).toBeUndefined();
    expect(formFieldOf(undefined)).toBeUndefined();
  });

  it('reads currency digits from an amount the API wrote', () => {
    expect(decimalsOfAmount('0.00')).toBe(2);
    expect(decimalsOfAmount('0')).toBe(0);
    expect(decimalsOfAmount('0.000')).toBe(3);
  });

  it('parses a datetime-local value and an ISO value with an offset', () => {
    expect(parseDeadline('2026-11-25T09:30+02:00')?.toISOString()).toBe('2026-11-25T07:30:00.000Z');
    const local = parseDeadline('2026-11-25T09:30');
    expect(local?.getFullYear()).toBe(2026);
    expect(local?.getHours()).toBe(9);
    expect(parseDeadline('25/11/2026')).toBeNull();
  });
});
