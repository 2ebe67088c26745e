import { DataSource } from 'typeorm';
import { SystemClock } from '@tandem/common';
import { DEFAULT_HEALTH_OPTIONS } from '../health/health.options';
import { HealthService } from '../health/health.service';
import { NetworkStatsService } from '../measures/network-stats.service';
import { RelationshipsService, groupByNetwork } from './relationships.service';

describe('relationships refresh', () => {
  it('groups the changed members by network, each network in the order the rows came', () => {
    const rows = [
      { network_id: 'a', member_id: '1' },
      { network_id: 'b', member_id: '2' },
      { network_id: 'a', member_id: '3' },
    ];
    expect([...groupByNetwork(rows)]).toEqual([
      ['a', ['1', '3']],
      ['b', ['2']],
    ]);
    expect(groupByNetwork([]).size).toBe(0);
  });

  it('groups a first build of 100,000 members of one network into one list of them all', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ network_id: 'n', member_id: String(i) }));
    const ids = groupByNetwork(rows).get('n') as string[];
    expect(ids).toHaveLength(100_000);
    expect(ids[99_999]).toBe('99999');
  });

  it('recomputes in bounded batches and lets the event loop turn between them', async () => {
    const events: string[] = [];
    const batches: number[] = [];
    const health = {
      // Resolves at once, as a fast database would: without a turn between batches the whole refresh runs in microtasks.
      computeMany: jest.fn(async (_em: unknown, _n: unknown, _s: unknown, ids: readonly string[]) => {
        batches.push(ids.length);
        events.push('batch');
        setImmediate(() => events.push('other work'));
        return [];
      }),
    } as unknown as HealthService;
    const networks = { network: async () => ({ id: 'n' }), current: async () => ({}) } as unknown as NetworkStatsService;
    const ds = { manager: {} } as unknown as DataSource;
    const service = new RelationshipsService(ds, ds, networks, health, { ...DEFAULT_HEALTH_OPTIONS, batchSize: 500 }, new SystemClock());

    await service.refreshMembers(
      'n',
      Array.from({ length: 1_600 }, (_, i) => String(i)),
      new Date(),
    );

    expect(batches).toEqual([500, 500, 500, 100]);
    // Whatever was queued during a batch (a lock renewal, a routing job's reply) ran before the next batch started.
    expect(events).toEqual(['batch', 'other work', 'batch', 'other work', 'batch', 'other work', 'batch', 'other work']);
  });
});
