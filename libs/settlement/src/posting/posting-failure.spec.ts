import { QueryFailedError } from 'typeorm';
import { UnpostableOrderError, permanentFailure } from './posting-failure';

const dbError = (code: string, message = 'boom') => new QueryFailedError('INSERT ...', [], Object.assign(new Error(message), { code }));

describe('which posting failures will not heal', () => {
  it.each([
    ['22003', 'AMOUNT_OUT_OF_RANGE'],
    ['22P02', 'INVALID_DATA'],
    ['22021', 'INVALID_DATA'],
    ['23514', 'CONSTRAINT_VIOLATED'],
    ['23502', 'CONSTRAINT_VIOLATED'],
    ['23503', 'CONSTRAINT_VIOLATED'],
    ['P0001', 'LEDGER_REJECTED'],
  ])('SQLSTATE %s is permanent: %s', (code, reason) => {
    expect(permanentFailure(dbError(code, 'value "10145709240540253388" is out of range for type bigint'))).toEqual({
      reason,
      sqlstate: code,
      detail: 'value "10145709240540253388" is out of range for type bigint',
    });
  });

  it.each(['40001', '40P01', '55P03', '57014', '25P03', '57P01', '08006', '53300', '23505', 'XX000'])('SQLSTATE %s may heal: retried', (code) => {
    expect(permanentFailure(dbError(code))).toBeNull();
  });

  it('JavaScript errors reading stored data are permanent; unknown errors are not', () => {
    expect(permanentFailure(new UnpostableOrderError('order x has no fee breakdown'))?.reason).toBe('ORDER_INCOMPLETE');
    expect(permanentFailure(new SyntaxError('Cannot convert x to a BigInt'))?.reason).toBe('INVALID_DATA');
    expect(permanentFailure(new RangeError('bps must be an integer'))?.reason).toBe('INVALID_DATA');
    expect(permanentFailure(new Error('Connection terminated unexpectedly'))).toBeNull();
    expect(permanentFailure(new Error('anything else'))).toBeNull();
  });
});
