import { StatementEntity } from './statement.entity';
import { csvCell, statementCsv } from './statement-csv';

describe('statement CSV', () => {
  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-3.50', "'-3.50"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['Acme, Inc.', '"Acme, Inc."'],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['\t@SUM(A1)', "'\t@SUM(A1)"],
    ['\r\n-2', `"'\r\n-2"`],
    [' =1', ' =1'],
  ])('makes %j safe as %j', (raw, safe) => {
    expect(csvCell(raw)).toBe(safe);
  });

  it('lists the figures and the postings', () => {
    const s = {
      id: 's1',
      memberId: 'm1',
      currency: 'USD',
      periodStart: new Date('2026-01-01T00:00:00Z'),
      periodEnd: new Date('2026-02-01T00:00:00Z'),
      status: 'DUE',
      ordersAsClient: 1,
      ordersAsSupplier: 0,
      purchasesMinor: 12000n,
      clientFeesMinor: 1200n,
      earnedBusinessMinor: 0n,
      supplierFeesMinor: 0n,
      partnerSharesMinor: 0n,
      netMinor: -13200n,
    } as StatementEntity;
    const csv = statementCsv(s, '=cmd', [
      { orderId: 'o1', line: 'PURCHASE', amount: 12000n, postedAt: new Date('2026-01-05T10:00:00Z') },
      { orderId: 'o1', line: 'CLIENT_FEE', amount: 1200n, postedAt: new Date('2026-01-05T10:00:00Z') },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'field,value',
      'statement,s1',
      'member_id,m1',
      "member,'=cmd",
      'currency,USD',
      'period_start,2026-01-01T00:00:00.000Z',
      'period_end,2026-02-01T00:00:00.000Z',
      'status,DUE',
      'orders_as_client,1',
      'orders_as_supplier,0',
      'purchases,120.00',
      'client_fees,12.00',
      'earned_business,0.00',
      'supplier_fees,0.00',
      'partner_shares,0.00',
      "net,'-132.00",
      '',
      'order_id,line,amount,currency,posted_at',
      'o1,PURCHASE,120.00,USD,2026-01-05T10:00:00.000Z',
      'o1,CLIENT_FEE,12.00,USD,2026-01-05T10:00:00.000Z',
      '',
    ]);
  });
});
