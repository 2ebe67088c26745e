import { MemberLife, acquisitionVsRetention, lastMonths, lostAt, membershipByMonth, powerBalance, retentionByCohort } from './network-insight';

const d = (s: string) => new Date(`${s}T12:00:00Z`);
const now = d('2026-11-22');
const life = (id: string, roles: MemberLife['roles'], joined: string, lastActive = joined, revoked: string | null = null): MemberLife => ({
  id,
  roles,
  joinedAt: d(joined),
  lastActiveAt: d(lastActive),
  revokedAt: revoked ? d(revoked) : null,
});

const lives = [
  life('a', ['CLIENT'], '2026-06-10', '2026-11-20'), // active
  life('b', ['CLIENT'], '2026-06-20'), // never ordered: lost 2026-09-18
  life('c', ['SUPPLIER', 'PARTNER'], '2026-09-05', '2026-11-01', '2026-10-15'), // revoked
  life('d', ['SUPPLIER'], '2026-11-02'),
  life('e', ['CLIENT'], '2025-01-01', '2026-03-01'), // lost 2026-05-30, before the period
];

describe('network insight', () => {
  it('loses a member at revocation or after idleDays without business, whichever comes first', () => {
    expect(lostAt(lives[0], 90, now)).toBeNull();
    expect(lostAt(lives[1], 90, now)).toEqual(d('2026-09-18'));
    expect(lostAt(lives[2], 90, now)).toEqual(d('2026-10-15'));
    expect(lostAt(lives[2], 10, now)).toEqual(d('2026-10-15'));
    expect(lostAt(life('x', ['CLIENT'], '2026-01-01', '2026-10-01', '2026-11-01'), 10, now)).toEqual(d('2026-10-11'));
  });

  it('lists the calendar months up to the current one', () => {
    expect(lastMonths(now, 3).map((m) => m.key)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(lastMonths(d('2026-01-15'), 2).map((m) => m.key)).toEqual(['2025-12', '2026-01']);
    expect(lastMonths(now, 1)[0]).toEqual({ key: '2026-11', start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') });
  });

  it('counts joins and losses per month and role', () => {
    const rows = membershipByMonth(lives, lastMonths(now, 6), 90, now);
    expect(rows).toHaveLength(18);
    const get = (month: string, role: string) => rows.find((r) => r.month === month && r.role === role);
    expect(get('2026-06', 'CLIENT')).toEqual({ month: '2026-06', role: 'CLIENT', joined: 2, lost: 0, net: 2 });
    expect(get('2026-09', 'CLIENT')).toEqual({ month: '2026-09', role: 'CLIENT', joined: 0, lost: 1, net: -1 });
    expect(get('2026-09', 'SUPPLIER')).toMatchObject({ joined: 1, lost: 0 });
    expect(get('2026-10', 'SUPPLIER')).toMatchObject({ joined: 0, lost: 1 });
    expect(get('2026-10', 'PARTNER')).toMatchObject({ joined: 0, lost: 1 });
    expect(get('2026-11', 'SUPPLIER')).toMatchObject({ joined: 1, lost: 0 });
    // e joined and was lost before the six months shown.
    expect(rows.reduce((s, r) => s + r.joined, 0)).toBe(5);
    expect(rows.reduce((s, r) => s + r.lost, 0)).toBe(3);
  });

  it('shows each join cohort and how many of it remain', () => {
    const cohorts = retentionByCohort(lives, lastMonths(now, 6), 90, now);
    expect(cohorts).toEqual([
      { month: '2026-06', joined: 2, retained: 1, retention: 0.5 },
      { month: '2026-07', joined: 0, retained: 0, retention: null },
      { month: '2026-08', joined: 0, retained: 0, retention: null },
      { month: '2026-09', joined: 1, retained: 0, retention: 0 },
      { month: '2026-10', joined: 0, retained: 0, retention: null },
      { month: '2026-11', joined: 1, retained: 1, retention: 1 },
    ]);
  });

  it('compares acquisition with losses over the period', () => {
    const gap = acquisitionVsRetention(lives, d('2026-09-01'), 90, now);
    expect(gap).toMatchObject({ membersAtStart: 2, acquired: 2, lost: 2, net: 0, acquisitionRate: 1, churnRate: 1, lostPerAcquired: 1, eroding: true });
    expect(gap.summary).toBe(
      'Since 2026-09-01 the network won 2 and lost 2 members (net +0): 100% of new members only replaced lost ones. The network is eroding: it wins members about as fast as it loses them.',
    );
    const healthy = acquisitionVsRetention(
      [life('a', ['CLIENT'], '2026-10-01', '2026-11-20'), life('b', ['CLIENT'], '2026-10-02', '2026-11-20')],
      d('2026-09-01'),
      90,
      now,
    );
    expect(healthy).toMatchObject({ membersAtStart: 0, acquired: 2, lost: 0, acquisitionRate: null, lostPerAcquired: 0, eroding: false });
    expect(acquisitionVsRetention([], d('2026-09-01'), 90, now).summary).toBe('No member joined or was lost since 2026-09-01.');
  });

  it("measures each category's power balance, largest category first", () => {
    const rows = powerBalance(
      [
        { category: 'flowers', supplierId: 's1', orders: 6, business: 60_000n },
        { category: 'flowers', supplierId: 's2', orders: 3, business: 30_000n },
        { category: 'flowers', supplierId: 's3', orders: 1, business: 10_000n },
        { category: 'flowers', supplierId: 's4', orders: 1, business: 10_000n },
        { category: 'cakes', supplierId: 's2', orders: 2, business: 5_000n },
      ],
      2,
    );
    expect(rows.map((r) => r.category)).toEqual(['flowers', 'cakes']);
    expect(rows[0]).toMatchObject({ orders: 11, business: 110_000n, suppliers: 4, topSupplierShare: 0.545454, topShare: 0.818181 });
    expect(rows[0].topSuppliers.map((s) => s.supplierId)).toEqual(['s1', 's2']);
    expect(rows[0].concentration).toBeCloseTo((36 + 9 + 1 + 1) / 121, 5);
    expect(rows[1]).toMatchObject({ suppliers: 1, topSupplierShare: 1, topShare: 1, concentration: 1 });
  });
});
