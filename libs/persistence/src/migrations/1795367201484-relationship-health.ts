import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Relationship health (libs/health): periodic snapshots for trends, at-risk
 * events for the operator, the network-wide norms the trust equation compares
 * each member with, and the indexes that keep the trailing-window reads of one
 * member's history cheap however large the network grows.
 */
export class RelationshipHealth1795367201484 implements MigrationInterface {
  name = 'RelationshipHealth1795367201484';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE health_snapshots (
        id bigserial PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES members(id),
        network_id uuid NOT NULL REFERENCES networks(id),
        computed_at timestamptz NOT NULL,
        score numeric(4,1) NOT NULL CHECK (score BETWEEN 0 AND 100),
        credibility numeric(4,2) NOT NULL CHECK (credibility BETWEEN 1 AND 10),
        reliability numeric(4,2) NOT NULL CHECK (reliability BETWEEN 1 AND 10),
        intimacy numeric(4,2) NOT NULL CHECK (intimacy BETWEEN 1 AND 10),
        self_orientation numeric(4,2) NOT NULL CHECK (self_orientation BETWEEN 1 AND 10),
        trust numeric(5,2) NOT NULL CHECK (trust > 0),
        value_to_member_minor bigint NOT NULL,
        value_to_hub_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        at_risk boolean NOT NULL
      );
      CREATE INDEX health_snapshots_member ON health_snapshots (member_id, computed_at DESC);

      -- Each change of a member's at-risk flag, as the snapshot job saw it.
      CREATE TABLE health_events (
        id bigserial PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES members(id),
        network_id uuid NOT NULL REFERENCES networks(id),
        at timestamptz NOT NULL,
        at_risk boolean NOT NULL,
        score numeric(4,1) NOT NULL,
        reason text NOT NULL
      );
      CREATE INDEX health_events_network ON health_events (network_id, at DESC, id DESC);
      CREATE INDEX health_events_member ON health_events (member_id, at);

      -- The network's business over the trailing window (norms of the take rate, category totals).
      -- A cache: refreshed by the snapshot job, or on read when missing or stale.
      CREATE TABLE health_network_stats (
        network_id uuid PRIMARY KEY REFERENCES networks(id),
        computed_at timestamptz NOT NULL,
        window_days int NOT NULL,
        currency char(3) NOT NULL,
        orders int NOT NULL,
        price_minor bigint NOT NULL,
        client_fees_minor bigint NOT NULL,
        supplier_fees_minor bigint NOT NULL,
        client_shares_minor bigint NOT NULL,
        supplier_shares_minor bigint NOT NULL,
        categories jsonb NOT NULL DEFAULT '{}'::jsonb
      );

      -- One supplier's orders by acceptance and by fulfilment, and a network's fulfilled orders, in a time range.
      CREATE INDEX health_orders_supplier_accepted ON orders (supplier_id, accepted_at) WHERE accepted_at IS NOT NULL;
      CREATE INDEX health_orders_supplier_fulfilled ON orders (supplier_id, fulfilled_at) WHERE fulfilled_at IS NOT NULL;
      CREATE INDEX health_orders_network_fulfilled ON orders (network_id, fulfilled_at) WHERE fulfilled_at IS NOT NULL;
      -- One account's postings in a time range, summed by line without touching the table.
      CREATE INDEX health_postings_account_created ON postings (account_id, created_at) INCLUDE (line, amount_minor);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS health_postings_account_created, health_orders_network_fulfilled,
        health_orders_supplier_fulfilled, health_orders_supplier_accepted;
      DROP TABLE IF EXISTS health_network_stats, health_events, health_snapshots;
    `);
  }
}
