import { HUB_ACCOUNTS, payableAccount, receivableAccount } from '@tandem/ledger';
import { computeFees } from '../fees/fee-calculator';
import { fulfilmentLines } from './order-lines';

const C = 'client',
  S = 'supplier',
  P1 = 'p1',
  P2 = 'p2';
const joined = new Date('2026-01-01T00:00:00Z');
const acceptedAt = new Date('2026-03-01T00:00:00Z');

describe('fulfilmentLines', () => {
  it('posts the worked example exactly (docs/api.md)', () => {
    const fees = computeFees({
      price: 12000n,
      currency: 'USD',
      clientFeeBps: 1000,
      supplierFeeBps: 500,
      clientReferrer: { partnerId: P1, referredId: C, partnerShareBps: 2000, partnerShareMonths: 12, referredJoinedAt: joined },
      supplierReferrer: { partnerId: P2, referredId: S, partnerShareBps: 2000, partnerShareMonths: 12, referredJoinedAt: joined },
      acceptedAt,
    });
    const lines = fulfilmentLines({ clientId: C, supplierId: S }, fees);
    expect(lines.map((l) => [l.accountCode, l.amount, l.line])).toEqual([
      [receivableAccount(C), 12000n, 'PURCHASE'],
      [receivableAccount(C), 1200n, 'CLIENT_FEE'],
      [payableAccount(S), -12000n, 'EARNED'],
      [payableAccount(S), 600n, 'SUPPLIER_FEE'],
      [payableAccount(P1), -240n, 'PARTNER_SHARE'],
      [payableAccount(P2), -120n, 'PARTNER_SHARE'],
      [HUB_ACCOUNTS.feeRevenue, -1800n, 'FEE_REVENUE'],
      [HUB_ACCOUNTS.partnerShareExpense, 360n, 'PARTNER_SHARE_EXPENSE'],
    ]);
    expect(lines.reduce((s, l) => s + l.amount, 0n)).toBe(0n);
    expect(lines.filter((l) => l.memberId === P1).map((l) => l.amount)).toEqual([-240n]);
  });

  it('leaves out zero amounts (no shares, no client fee)', () => {
    const fees = computeFees({ price: 1010n, currency: 'USD', clientFeeBps: 0, supplierFeeBps: 500, acceptedAt });
    const lines = fulfilmentLines({ clientId: C, supplierId: S }, fees);
    expect(lines.map((l) => [l.accountCode, l.amount, l.line])).toEqual([
      [receivableAccount(C), 1010n, 'PURCHASE'],
      [payableAccount(S), -1010n, 'EARNED'],
      [payableAccount(S), 51n, 'SUPPLIER_FEE'], // 10.10 at 5 % = 0.505, half up: 0.51
      [HUB_ACCOUNTS.feeRevenue, -51n, 'FEE_REVENUE'],
    ]);
  });
});
