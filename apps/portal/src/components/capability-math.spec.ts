import { capabilityChange, costByPeriod, perOrder, valuesOf, type EditableCapability } from './capability-math';

const baskets: EditableCapability = {
  id: 'c1',
  category: 'gift-baskets',
  regions: ['US-NY'],
  dailyCapacity: 5,
  leadTimeHours: 24,
  unitPrice: { amount: '120.00', currency: 'USD' },
};

describe('capabilityChange: what the form changes, checked as the API checks it', () => {
  it('sends nothing for the values as they are, however they are spelled', () => {
    expect(capabilityChange(baskets, valuesOf(baskets))).toEqual({ input: {}, errors: {} });
    expect(capabilityChange(baskets, { amount: '120', regions: ' us-ny, ', dailyCapacity: '5', leadTimeHours: '24' })).toEqual({ input: {}, errors: {} });
  });

  it('sends only the changed fields, regions upper-cased without duplicates', () => {
    expect(capabilityChange(baskets, { amount: '110.5', regions: 'us-ny us-nj, US-NJ', dailyCapacity: '5', leadTimeHours: '0' })).toEqual({
      input: { unitPrice: { amount: '110.5', currency: 'USD' }, regions: ['US-NY', 'US-NJ'], leadTimeHours: 0 },
      errors: {},
    });
  });

  it('names the field of each mistake', () => {
    expect(capabilityChange(baskets, { amount: '0', regions: '', dailyCapacity: '0', leadTimeHours: '1.5' }).errors).toEqual({
      amount: 'The price must be more than zero.',
      regions: 'Name at least one region.',
      dailyCapacity: 'A whole number of orders, at least 1.',
      leadTimeHours: 'A whole number of hours, 0 or more.',
    });
    expect(capabilityChange(baskets, { ...valuesOf(baskets), amount: '1.005' }).errors).toEqual({ amount: 'At most 2 decimal places in USD.' });
    expect(capabilityChange(baskets, { ...valuesOf(baskets), amount: '-3' }).errors).toEqual({ amount: 'Give a price such as 120.00.' });
    expect(capabilityChange(baskets, { ...valuesOf(baskets), regions: 'US NY!' }).errors).toEqual({ regions: 'Regions are 1 to 64 letters, digits, - or _.' });
  });
});

describe('acquisition cost per order', () => {
  it('divides exactly, rounding half away from zero in minor units', () => {
    expect(perOrder({ amount: '5.50', currency: 'USD' }, 1)).toEqual({ amount: '5.50', currency: 'USD' });
    expect(perOrder({ amount: '10.01', currency: 'USD' }, 2)).toEqual({ amount: '5.01', currency: 'USD' }); // 500.5 cents
    expect(perOrder({ amount: '10.00', currency: 'USD' }, 3)).toEqual({ amount: '3.33', currency: 'USD' });
    expect(perOrder({ amount: '-10.01', currency: 'USD' }, 2)).toEqual({ amount: '-5.01', currency: 'USD' });
    expect(perOrder({ amount: '1001', currency: 'JPY' }, 2)).toEqual({ amount: '501', currency: 'JPY' });
  });

  it('lists settled periods with orders, oldest first', () => {
    const fees = (amount: string) => ({ amount, currency: 'USD' });
    expect(
      costByPeriod([
        { id: 's2', periodStart: '2026-02-01T00:00:00.000Z', periodEnd: '2026-03-01T00:00:00.000Z', ordersAsSupplier: 4, supplierFees: fees('22.00') },
        { id: 's0', periodStart: '2026-01-15T00:00:00.000Z', periodEnd: '2026-01-20T00:00:00.000Z', ordersAsSupplier: 0, supplierFees: fees('0.00') },
        { id: 's1', periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-02-01T00:00:00.000Z', ordersAsSupplier: 1, supplierFees: fees('5.50') },
      ]).map((p) => [p.id, p.orders, p.cost.amount]),
    ).toEqual([
      ['s1', 1, '5.50'],
      ['s2', 4, '5.50'],
    ]);
  });
});
