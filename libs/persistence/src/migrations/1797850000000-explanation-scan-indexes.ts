import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The explanation's scan (CandidateRepository.staticExclusions in
 * libs/routing/src/router/candidate.repository.ts) looks each order-independent
 * reason up on its own instead of judging the whole category: other currencies
 * and prices over budget come from capabilities_routing_price, and these give
 * the rest. The lead times over a bound are a range; the region sets are few,
 * so the scan reads each distinct set once and only the rows of the sets that
 * lack the order's region; suppliers not vetted are few (a partial index, with
 * the scan's own predicate); the day's capacity counters are the capabilities
 * used that day. Only routing reads these, so routing migrates them.
 */
export class ExplanationScanIndexes1797850000000 implements MigrationInterface {
  name = 'ExplanationScanIndexes1797850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX capabilities_routing_lead_time ON capabilities (network_id, category, lead_time_hours)`);
    await q.query(`CREATE INDEX capabilities_routing_regions ON capabilities (network_id, category, regions)`);
    await q.query(
      `CREATE INDEX members_suppliers_not_vetted ON members (network_id) WHERE vetting_status IS DISTINCT FROM 'VETTED' AND 'SUPPLIER' = ANY (roles)`,
    );
    // On the day only: `used` stays out of the index, so counting a unit remains a HOT update.
    await q.query(`CREATE INDEX capacity_usage_day ON capacity_usage (day)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS capacity_usage_day`);
    await q.query(`DROP INDEX IF EXISTS members_suppliers_not_vetted`);
    await q.query(`DROP INDEX IF EXISTS capabilities_routing_regions`);
    await q.query(`DROP INDEX IF EXISTS capabilities_routing_lead_time`);
  }
}
