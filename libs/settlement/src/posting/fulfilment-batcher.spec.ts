import { FulfilmentBatcher } from './fulfilment-batcher';
import { LedgerConnectionGate } from './ledger-connection-gate';
import type { OrderPostingService, PostingOutcome } from './order-posting.service';

/** A posting service that records how many transactions it runs at once; `failBatches` makes every batch fail. */
function postingsSpy(failBatches = false) {
  const seen = { inFlight: 0, most: 0, batches: [] as number[], single: 0 };
  const transaction = async <T>(work: () => T): Promise<T> => {
    seen.inFlight += 1;
    seen.most = Math.max(seen.most, seen.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    seen.inFlight -= 1;
    return work();
  };
  const postings = {
    postFulfilments: (ids: readonly string[]) =>
      transaction(() => {
        seen.batches.push(ids.length);
        if (failBatches) throw new Error('one bad order');
        return ids.map((): PostingOutcome => 'posted');
      }),
    postFulfilment: (id: string) =>
      transaction((): PostingOutcome => {
        seen.single += 1;
        if (id === 'bad') throw new Error('bad order');
        return 'posted';
      }),
  } as unknown as OrderPostingService;
  return { postings, seen };
}

describe('FulfilmentBatcher behind the ledger connection gate', () => {
  it('gathers 600 concurrent fulfilments into batches of up to 250 on at most 2 connections', async () => {
    const { postings, seen } = postingsSpy();
    const batcher = new FulfilmentBatcher(postings, new LedgerConnectionGate(2));
    const outcomes = await Promise.all(Array.from({ length: 600 }, (_, n) => batcher.post(`o${n}`)));
    expect(outcomes.filter((o) => o === 'posted')).toHaveLength(600);
    expect(seen.batches).toEqual([250, 250, 100]);
    expect(seen.most).toBe(2);
  });

  it('posts a failed batch one order at a time, still never above the gate, failing only the bad order', async () => {
    const { postings, seen } = postingsSpy(true);
    const batcher = new FulfilmentBatcher(postings, new LedgerConnectionGate(3));
    const results = await Promise.allSettled(['a', 'bad', 'c', 'd', 'e'].map((id) => batcher.post(id)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(seen.single).toBe(5);
    expect(seen.most).toBe(3);
  });
});
