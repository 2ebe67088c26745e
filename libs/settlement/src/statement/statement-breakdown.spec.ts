import { payableAccount, receivableAccount } from '@tandem/ledger';
import { ClosablePosting, statementFigures } from './statement-breakdown';

const M = 'm1';
const rec = receivableAccount(M);
const pay = payableAccount(M);
const p = (accountCode: string, amount: bigint, line: string, orderId: string, entryKind = 'ORDER_FULFILMENT'): ClosablePosting => ({
  accountCode,
  amount,
  line,
  orderId,
  entryKind,
});

describe('statementFigures', () => {
  it('nets a dual-role member: bought one order, supplied another, earned a share', () => {
    const f = statementFigures([
      p(rec, 12000n, 'PURCHASE', 'o1'),
      p(rec, 1200n, 'CLIENT_FEE', 'o1'),
      p(pay, -5000n, 'EARNED', 'o2'),
      p(pay, 250n, 'SUPPLIER_FEE', 'o2'),
      p(pay, -50n, 'PARTNER_SHARE', 'o3'),
    ]);
    expect(f).toEqual({
      ordersAsClient: 1,
      ordersAsSupplier: 1,
      purchases: 12000n,
      clientFees: 1200n,
      earnedBusiness: 5000n,
      supplierFees: 250n,
      partnerShares: 50n,
      net: 5000n - 250n + 50n - 12000n - 1200n,
    });
  });

  it('counts a refunded order once and nets its amounts to zero', () => {
    const f = statementFigures([
      p(rec, 12000n, 'PURCHASE', 'o1'),
      p(rec, 1200n, 'CLIENT_FEE', 'o1'),
      p(rec, -12000n, 'PURCHASE', 'o1', 'ORDER_REFUND'),
      p(rec, -1200n, 'CLIENT_FEE', 'o1', 'ORDER_REFUND'),
    ]);
    expect(f).toMatchObject({ ordersAsClient: 1, purchases: 0n, clientFees: 0n, net: 0n });
  });

  it('gives negative figures for a refund alone (the order was settled before)', () => {
    const f = statementFigures([p(pay, 12000n, 'EARNED', 'o1', 'ORDER_REFUND'), p(pay, -600n, 'SUPPLIER_FEE', 'o1', 'ORDER_REFUND')]);
    expect(f).toMatchObject({ ordersAsSupplier: 0, earnedBusiness: -12000n, supplierFees: -600n, net: -11400n });
  });

  it('refuses a posting it cannot place', () => {
    expect(() => statementFigures([p(rec, 5n, 'MYSTERY', 'o1')])).toThrow('has no place on a statement');
  });
});
