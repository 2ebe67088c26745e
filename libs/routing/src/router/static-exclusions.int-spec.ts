import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { CandidateRepository, ExclusionShape, shapeParams } from './candidate.repository';
import { EXCLUSION_REASONS, ExclusionReason } from './exclusion-reason';
import { RoutingTestApp, startRoutingApp } from '../testing/routing-test-app.test-support';

/**
 * The explanation's scan before it read reason by reason: one join over the
 * whole category and one sort. The oracle of this spec only; the repository's
 * scan must return exactly its rows, reasons and order.
 */
const WHOLE_CATEGORY_SCAN = `
  SELECT * FROM (
    SELECT c.supplier_id, m.name, c.id AS capability_id,
           CASE
             WHEN m.vetting_status IS DISTINCT FROM 'VETTED' THEN 'NOT_VETTED'
             WHEN c.currency <> $3::bpchar THEN 'CURRENCY'
             WHEN NOT ($4 = ANY (c.regions)) THEN 'REGION'
             WHEN c.unit_price_minor > $5 THEN 'OVER_BUDGET'
             WHEN c.lead_time_hours > $6 THEN 'LEAD_TIME'
             WHEN coalesce(u.used, 0) >= c.daily_capacity THEN 'CAPACITY'
           END AS reason
      FROM capability_facts c
      JOIN member_facts m ON m.id = c.supplier_id AND 'SUPPLIER' = ANY (m.roles)
      LEFT JOIN capacity_usage u ON u.capability_id = c.id AND u.day = $7::date
     WHERE c.network_id = $1 AND c.category = $2
  ) x WHERE reason IS NOT NULL
  ORDER BY array_position($8::text[], reason), name COLLATE "C", supplier_id LIMIT $9`;

const REGIONS = ['US-NY', 'US-CA', 'GB-LND'];
// Either side of USD, so both ranges of the currency lookup are read.
const CURRENCIES = ['USD', 'EUR', 'ZAR'];
const DAYS = ['2030-01-01', '2030-01-02', '2030-01-03'];

/**
 * How a network's suppliers are drawn: the odds of each exclusion, so that
 * some networks are nearly all eligible and others fail mostly one reason.
 */
const profileArb = (odds: number[]) =>
  fc.record({
    notVetted: fc.constantFrom(...odds),
    otherCurrency: fc.constantFrom(...odds),
    fewRegions: fc.constantFrom(...odds),
    pricey: fc.constantFrom(...odds),
    slow: fc.constantFrom(...odds),
    busy: fc.constantFrom(...odds),
  });
/** Networks like the bench's, nearly all eligible (few rows of each reason), and networks where many fail. */
const SPARSE = profileArb([0, 0.005, 0.02]);
const DENSE = profileArb([0, 0.05, 0.3, 0.7]);
type Profile = { notVetted: number; otherCurrency: number; fewRegions: number; pricey: number; slow: number; busy: number };

function supplierArb(p: Profile) {
  // Unbiased: fast-check's bias toward small values would make every odds near certain.
  const chance = (odds: number) => fc.noBias(fc.integer({ min: 0, max: 999 })).map((x) => x < odds * 1000);
  return fc.record({
    // Ties of names (and names that sort apart by code point and by language) decide the order by id.
    name: fc.constantFrom('Alpha', 'alpha', 'Beta', 'Éclair', 'Zeta', 'Zeta', 'Ωmega'),
    notVetted: chance(p.notVetted),
    unvettedAs: fc.constantFrom('APPLIED', 'SUSPENDED', null),
    // A member that lost the SUPPLIER role keeps its capability but is no candidate at all.
    roles: fc.constantFrom(['SUPPLIER'], ['SUPPLIER'], ['SUPPLIER'], ['SUPPLIER', 'CLIENT'], ['CLIENT']),
    otherCurrency: chance(p.otherCurrency),
    currency: fc.constantFrom('EUR', 'ZAR'),
    fewRegions: chance(p.fewRegions),
    // Sets in any order, the empty set and a set holding a NULL (which no region matches or fails to match).
    regions: fc.constantFrom('US-NY,US-CA,GB-LND', 'GB-LND,US-NY', 'US-NY'),
    fewer: fc.constantFrom('US-CA', 'GB-LND,US-CA', '', 'NULL', 'US-CA,NULL'),
    pricey: chance(p.pricey),
    unitPrice: fc.integer({ min: 1, max: 40 }).map((x) => x * 100),
    slow: chance(p.slow),
    leadTimeHours: fc.integer({ min: 0, max: 48 }),
    busy: chance(p.busy),
    dailyCapacity: fc.integer({ min: 1, max: 3 }),
    // Counters on several days, used below, at or above the capacity (a tie is CAPACITY).
    used: fc.array(fc.record({ day: fc.constantFrom(...DAYS), extra: fc.integer({ min: -2, max: 1 }) }), { maxLength: 3 }),
  });
}

const shapeArb = fc.record({
  currency: fc.constantFrom(...CURRENCIES, 'USD', 'USD'),
  region: fc.constantFrom(...REGIONS, 'US-NY', 'FR-PAR'),
  maxUnitPriceMinor: fc.constantFrom(0, 1500, 2500, 4000, 100_000).map(BigInt),
  maxLeadHours: fc.constantFrom(0, 12, 24, 100),
  day: fc.constantFrom(...DAYS, '2030-02-01'),
  limit: fc.constantFrom(1, 7, 200, 10_000),
  // The order of the reasons the rows come in: the explainer's, or another one.
  reasons: fc.constantFrom<readonly ExclusionReason[]>(EXCLUSION_REASONS, [...EXCLUSION_REASONS].reverse()),
});

describe('the explanation scan reason by reason against the whole-category scan, on random networks', () => {
  let t: RoutingTestApp;

  beforeAll(async () => {
    t = await startRoutingApp('static-exclusions');
  });

  afterAll(() => t.close());

  /** A network of `n` suppliers of `category` drawn from the seed, inserted in a few set-based statements. */
  async function randomNetwork(seed: number, n: number, networkId: string, category: string) {
    const [profile] = fc.sample(seed % 2 === 0 ? SPARSE : DENSE, { seed, numRuns: 1 });
    const [specs] = fc.sample(fc.array(supplierArb(profile), { minLength: n, maxLength: n }), { seed, numRuns: 1 });
    const ids = specs.map(() => randomUUID());
    await t.ds().query(
      `INSERT INTO members (id, network_id, name, roles, vetting_status)
       SELECT id, $1, name, string_to_array(roles, ','), vetting FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS s(id, name, roles, vetting)`,
      [networkId, ids, specs.map((s) => s.name), specs.map((s) => s.roles.join(',')), specs.map((s) => (s.notVetted ? s.unvettedAs : 'VETTED'))],
    );
    const capIds = specs.map(() => randomUUID());
    await t.ds().query(
      `INSERT INTO capabilities (id, network_id, supplier_id, category, regions, daily_capacity, lead_time_hours, unit_price_minor, currency)
       SELECT id, $1, supplier_id, $2, string_to_array(regions, ',', 'NULL'), cap, lead, price, currency
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::int[], $8::bigint[], $9::text[]) AS s(id, supplier_id, regions, cap, lead, price, currency)`,
      [
        networkId,
        category,
        capIds,
        ids,
        specs.map((s) => (s.fewRegions ? s.fewer : s.regions)),
        specs.map((s) => s.dailyCapacity),
        specs.map((s) => (s.slow ? 24 + s.leadTimeHours : s.leadTimeHours % 12)),
        specs.map((s) => (s.pricey ? 2000 + s.unitPrice : 1 + (s.unitPrice % 1500))),
        specs.map((s) => (s.otherCurrency ? s.currency : 'USD')),
      ],
    );
    const counters = specs.flatMap((s, i) =>
      s.used.map((u) => ({ id: capIds[i], day: u.day, used: Math.max(0, (s.busy ? s.dailyCapacity : s.dailyCapacity - 1) + u.extra) })),
    );
    await t.ds().query(
      `INSERT INTO capacity_usage (capability_id, day, used)
       SELECT id, day::date, used FROM unnest($1::uuid[], $2::text[], $3::int[]) AS s(id, day, used)
       ON CONFLICT (capability_id, day) DO NOTHING`,
      [counters.map((c) => c.id), counters.map((c) => c.day), counters.map((c) => c.used)],
    );
  }

  const SEEDS = [1, 7, 42, 99, 2026, 31337, 8, 64];

  it.each(SEEDS)('returns the same rows, reasons and order for every shape (seed %i)', async (seed) => {
    const networkId = randomUUID();
    const otherNetworkId = randomUUID();
    await t.insertNetwork(networkId);
    await t.insertNetwork(otherNetworkId);
    // The same category elsewhere and another category here: neither may leak into the scan.
    await randomNetwork(seed, 300, networkId, 'cakes');
    await randomNetwork(seed + 1, 60, networkId, 'bread');
    await randomNetwork(seed + 2, 60, otherNetworkId, 'cakes');
    await t.ds().query('ANALYZE members; ANALYZE capabilities; ANALYZE capacity_usage');

    const shapes = fc.sample(shapeArb, { seed, numRuns: 25 });
    const seen = new Set<string>();
    for (const { limit, reasons, ...rules } of shapes) {
      const shape: ExclusionShape = { networkId, category: 'cakes', ...rules };
      const em = t.ds().manager;
      const expected = await em.query(WHOLE_CATEGORY_SCAN, [...shapeParams(shape), reasons, limit]);
      const actual = await em.transaction(async (tx) => {
        // As the explainer runs it (routing-explainer.service.ts).
        await tx.query(`SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`);
        return CandidateRepository.staticExclusions(tx, shape, reasons, limit);
      });
      expect(actual).toEqual(expected);
      for (const row of expected) seen.add(row.reason);
    }
    // The draws reach most reasons; the property above holds whatever they are.
    expect(seen.size).toBeGreaterThan(1);
  });

  it('keeps staticReasonsOf on the whole-category rule for a few suppliers', async () => {
    const networkId = randomUUID();
    await t.insertNetwork(networkId);
    await randomNetwork(5, 120, networkId, 'cakes');
    const shapes = fc.sample(shapeArb, { seed: 5, numRuns: 10 });
    const suppliers: { id: string }[] = await t.ds().query(`SELECT id FROM members WHERE network_id = $1 ORDER BY id LIMIT 40`, [networkId]);
    for (const { limit: _limit, reasons, ...rules } of shapes) {
      const shape: ExclusionShape = { networkId, category: 'cakes', ...rules };
      const all = await t
        .ds()
        .query(`SELECT * FROM (${WHOLE_CATEGORY_SCAN.replace('WHERE reason IS NOT NULL', 'WHERE true').replace(/LIMIT \$9$/, '')}) y`, [
          ...shapeParams(shape),
          reasons,
        ]);
      const ids = new Set(suppliers.map((r) => r.id));
      const expected = all.filter((r: { supplier_id: string }) => ids.has(r.supplier_id));
      const actual = await CandidateRepository.staticReasonsOf(
        t.ds().manager,
        shape,
        suppliers.map((r) => r.id),
      );
      const byId = (a: { supplier_id: string }, b: { supplier_id: string }) => (a.supplier_id < b.supplier_id ? -1 : 1);
      expect([...actual].sort(byId)).toEqual([...expected].sort(byId));
    }
  });

  it('refuses an order of reasons that leaves a static reason out', async () => {
    const shape: ExclusionShape = {
      networkId: randomUUID(),
      category: 'cakes',
      currency: 'USD',
      region: 'US-NY',
      maxUnitPriceMinor: 100n,
      maxLeadHours: 1,
      day: DAYS[0],
    };
    await expect(CandidateRepository.staticExclusions(t.ds().manager, shape, ['NOT_VETTED', 'CURRENCY'], 10)).rejects.toThrow(/every static reason/);
  });
});
