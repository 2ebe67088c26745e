import { acquisitionByMonth, startOfLocalDay, summarizeRouting } from './routing-summary';

describe('operator overview figures', () => {
  const since = new Date('2026-11-22T00:00:00Z');
  const orders = [
    { status: 'FULFILLED', createdAt: '2026-11-21T23:59:59.999Z', routing: [{ eligible: false, reason: 'REGION' }] },
    { status: 'OFFERED', createdAt: '2026-11-22T08:00:00.000Z', routing: [{ eligible: true }, { eligible: false, reason: 'CAPACITY' }] },
    {
      status: 'UNROUTABLE',
      createdAt: '2026-11-22T09:00:00.000Z',
      routing: [
        { eligible: false, reason: 'REGION' },
        { eligible: false, reason: 'CAPACITY' },
        { eligible: false, reason: 'NOT_VETTED' },
      ],
    },
    { status: 'UNROUTABLE', createdAt: '2026-11-22T10:00:00.000Z', routing: [{ eligible: false, reason: 'CAPACITY' }] },
    { status: 'ACCEPTED', createdAt: '2026-11-22T11:00:00.000Z', routing: [{ eligible: true, reason: null }] },
  ];

  it('counts only orders since the start of the day', () => {
    expect(summarizeRouting(orders, since)).toEqual({
      orders: 4,
      byStatus: [
        { status: 'UNROUTABLE', count: 2 },
        { status: 'ACCEPTED', count: 1 },
        { status: 'OFFERED', count: 1 },
      ],
      routed: 2,
      unroutable: 2,
      reasons: [
        { reason: 'CAPACITY', count: 3 },
        { reason: 'NOT_VETTED', count: 1 },
        { reason: 'REGION', count: 1 },
      ],
    });
  });

  it('starts the day at local midnight', () => {
    const d = startOfLocalDay(new Date(2026, 10, 22, 15, 30));
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2026, 10, 22, 0, 0]);
  });

  it('adds up acquisition against losses and retention per month over roles', () => {
    const rows = acquisitionByMonth(
      [
        { month: '2026-10', role: 'CLIENT', joined: 3, lost: 1 },
        { month: '2026-10', role: 'SUPPLIER', joined: 2, lost: 0 },
        { month: '2026-11', role: 'CLIENT', joined: 0, lost: 2 },
      ],
      [
        { month: '2026-10', joined: 5, retained: 4, retention: 0.8 },
        { month: '2026-11', joined: 0, retained: 0, retention: null },
      ],
    );
    expect(rows).toEqual([
      { month: '2026-10', joined: 5, lost: 1, net: 4, retainedPct: 80 },
      { month: '2026-11', joined: 0, lost: 2, net: -2, retainedPct: null },
    ]);
  });
});
