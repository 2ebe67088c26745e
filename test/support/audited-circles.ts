import { SettlementAuditService } from '@tandem/settlement';
import { buildCircles } from './community';
import type { TandemHarness } from './tandem';

export type Circles = Awaited<ReturnType<typeof buildCircles>>;

/**
 * For suites that move money: builds a fresh Circles network per call, and
 * after every test audits each network built in it (every entry balances, the
 * caches match, open balances agree with statements), and any other network
 * given to audit(). Call inside describe.
 */
export function auditedCircles(harness: () => TandemHarness): { circles: () => Promise<Circles>; audit: (networkId: string) => void } {
  const audited: string[] = [];
  let seq = 0;
  afterEach(async () => {
    for (const networkId of audited.splice(0)) {
      expect(await harness().api.get(SettlementAuditService).audit(networkId)).toEqual([]);
    }
  });
  return {
    circles: async () => {
      const c = await buildCircles(harness(), `Circles ${++seq}`);
      audited.push(c.networkId);
      return c;
    },
    /** Audits another network the test built, after it. */
    audit: (networkId) => void audited.push(networkId),
  };
}
