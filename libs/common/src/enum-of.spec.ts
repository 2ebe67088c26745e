import { enumOf } from './enum-of';
import { ORDER_STATUSES } from './order-status';
import { ROLES, isRole } from './roles';

describe('enumOf', () => {
  it('maps each value to itself, in the order of the list (the order GraphQL lists them in)', () => {
    const roles = enumOf(ROLES);
    expect(roles).toEqual({ CLIENT: 'CLIENT', SUPPLIER: 'SUPPLIER', PARTNER: 'PARTNER' });
    expect(Object.values(enumOf(ORDER_STATUSES))).toEqual([
      'ROUTING',
      'OFFERED',
      'ACCEPTED',
      'FULFILLED',
      'CANCELLED',
      'UNROUTABLE',
      'REFUNDED',
      'DISPUTED',
      'PARTIALLY_REFUNDED',
    ]);
  });

  it('cannot be changed after the enum is registered', () => {
    expect(Object.isFrozen(enumOf(ROLES))).toBe(true);
  });
});

describe('isRole', () => {
  it('knows the three roles and nothing else', () => {
    expect(ROLES.filter(isRole)).toEqual(['CLIENT', 'SUPPLIER', 'PARTNER']);
    expect(['client', 'OPERATOR', 'ADMIN', null, 1].some(isRole)).toBe(false);
  });
});
