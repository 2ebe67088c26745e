import { payableAccount, receivableAccount } from '@tandem/ledger';
import { ActivityRow, statementFigures } from './statement-breakdown';

const M = 'm1';
const rec = receivableAccount(M);
const pay = payableAccount(M);
const row = (accountCode: string, amount: bigint, line: string, orders: number, entryKind = 'ORDER_FULFILMENT'): ActivityRow => ({
  accountCode,
  amount,
  line,
  orders,
  entryKind,
});

describe('statementFigures', () => {
  it('nets a dual-role member: bought two orders, supplied one, earned a share', () => {
    const f = statementFigures([
      row(rec, 24000n, 'PURCHASE', 2),
      row(rec, 2400n, 'CLIENT_FEE', 2),
      row(pay, -5000n, 'EARNED', 1),
      row(pay, 250n, 'SUPPLIER_FEE', 1),
      row(pay, -50n, 'PARTNER_SHARE', 1),
    ]);
    expect(f).toEqual({
      ordersAsClient: 2,
      ordersAsSupplier: 1,
      purchases: 24000n,
      clientFees: 2400n,
      earnedBusiness: 5000n,
      supplierFees: 250n,
      partnerShares: 50n,
      net: 5000n - 250n + 50n - 24000n - 2400n,
    });
  });

  it('counts a refunded order once and nets its amounts to zero', () => {
    const f = statementFigures([
      row(rec, 12000n, 'PURCHASE', 1),
      row(rec, 1200n, 'CLIENT_FEE', 1),
      row(rec, -12000n, 'PURCHASE', 1, 'ORDER_REFUND'),
      row(rec, -1200n, 'CLIENT_FEE', 1, 'ORDER_REFUND'),
    ]);
    expect(f).toMatchObject({ ordersAsClient: 1, purchases: 0n, clientFees: 0n, net: 0n });
  });

  it('gives negative figures for a refund alone (the order was settled before)', () => {
    const f = statementFigures([row(pay, 12000n, 'EARNED', 1, 'ORDER_REFUND'), row(pay, -600n, 'SUPPLIER_FEE', 1, 'ORDER_REFUND')]);
    expect(f).toMatchObject({ ordersAsSupplier: 0, earnedBusiness: -12000n, supplierFees: -600n, net: -11400n });
  });

  it('refuses activity it cannot place', () => {
    expect(() => statementFigures([row(rec, 5n, 'MYSTERY', 1)])).toThrow('has no place on a statement');
    expect(() => statementFigures([row(rec, 5n, 'EARNED', 1)])).toThrow('has no place on a statement');
  });
});
