import { GATHER_MS, MAX_GATHER_MS, gatherAfterScan } from './routing-explainer.service';

describe('how long an explanation run gathers before it scans', () => {
  it('waits the floor for small categories, whose scans are short', () => {
    expect(gatherAfterScan(0)).toBe(GATHER_MS);
    expect(gatherAfterScan(3)).toBe(250);
    expect(gatherAfterScan(125)).toBe(250);
  });

  it('waits twice the last scan for large ones, so scans take at most about a third of a core', () => {
    expect(gatherAfterScan(300)).toBe(600);
    expect(gatherAfterScan(450)).toBe(900);
  });

  it('never waits more than leaves the explanation within its 2 s', () => {
    expect(gatherAfterScan(2_000)).toBe(MAX_GATHER_MS);
    expect(MAX_GATHER_MS).toBe(1_000);
  });
});
