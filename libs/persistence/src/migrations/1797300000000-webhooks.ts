import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (libs/webhooks): endpoints, owned by a network's operator (member_id
 * null) or by one member, and one delivery per event and endpoint. The unique
 * (endpoint_id, event_id) makes fan-out safe to run twice; deliveries go with
 * their endpoint. The partial index finds the oldest pending delivery (metrics).
 */
export class Webhooks1797300000000 implements MigrationInterface {
  name = 'Webhooks1797300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        network_id uuid NOT NULL REFERENCES networks(id),
        member_id uuid REFERENCES members(id),
        url text NOT NULL,
        event_types text[] NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        description text,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (network_id, member_id);
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        round_start integer NOT NULL DEFAULT 0,
        last_response_status integer,
        last_attempt_at timestamptz,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (endpoint_id, event_id)
      );
      CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
      CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (created_at) WHERE status = 'PENDING';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries; DROP TABLE webhook_endpoints;`);
  }
}
