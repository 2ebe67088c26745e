import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole first schema. Money is bigint minor units with its currency beside it;
 * rates are integer basis points. The ledger tables refuse UPDATE and DELETE and
 * refuse to commit an unbalanced journal entry, whatever code path writes them.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE networks (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        currency char(3) NOT NULL,
        client_fee_bps int NOT NULL CHECK (client_fee_bps BETWEEN 0 AND 10000),
        supplier_fee_bps int NOT NULL CHECK (supplier_fee_bps BETWEEN 0 AND 10000),
        partner_share_bps int NOT NULL CHECK (partner_share_bps BETWEEN 0 AND 10000),
        partner_share_months int NOT NULL CHECK (partner_share_months BETWEEN 0 AND 120),
        offer_timeout_seconds int NOT NULL CHECK (offer_timeout_seconds BETWEEN 1 AND 86400),
        routing_policy jsonb NOT NULL DEFAULT '{}'::jsonb,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE members (
        id uuid PRIMARY KEY,
        network_id uuid NOT NULL REFERENCES networks(id),
        name text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0),
        vetting_status text,
        referred_by_id uuid REFERENCES members(id),
        term_overrides jsonb NOT NULL DEFAULT '{}'::jsonb,
        acquisition_baseline_minor bigint,
        joined_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX members_network_created ON members (network_id, created_at, id);
      CREATE INDEX members_referred_by ON members (referred_by_id) WHERE referred_by_id IS NOT NULL;

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        network_id uuid NOT NULL REFERENCES networks(id),
        member_id uuid REFERENCES members(id),
        key_hash text NOT NULL UNIQUE,
        hint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_member ON api_keys (member_id);

      -- Every change of a fee schedule (network-wide when member_id is null), as the new values in force.
      CREATE TABLE fee_term_changes (
        id bigserial PRIMARY KEY,
        network_id uuid NOT NULL REFERENCES networks(id),
        member_id uuid REFERENCES members(id),
        terms jsonb NOT NULL,
        effective_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX fee_term_changes_scope ON fee_term_changes (network_id, member_id, effective_at);

      CREATE TABLE vetting_events (
        id bigserial PRIMARY KEY,
        network_id uuid NOT NULL REFERENCES networks(id),
        member_id uuid NOT NULL REFERENCES members(id),
        from_status text,
        to_status text NOT NULL,
        note text,
        actor text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX vetting_events_member ON vetting_events (member_id, id);

      CREATE TABLE capabilities (
        id uuid PRIMARY KEY,
        network_id uuid NOT NULL REFERENCES networks(id),
        supplier_id uuid NOT NULL REFERENCES members(id),
        category text NOT NULL,
        regions text[] NOT NULL,
        daily_capacity int NOT NULL CHECK (daily_capacity >= 1),
        lead_time_hours int NOT NULL CHECK (lead_time_hours >= 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor > 0),
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (supplier_id, category)
      );
      CREATE INDEX capabilities_routing ON capabilities (network_id, category);

      -- Orders counted against a capability's daily capacity; guarded by a conditional upsert.
      CREATE TABLE capacity_usage (
        capability_id uuid NOT NULL REFERENCES capabilities(id) ON DELETE CASCADE,
        day date NOT NULL,
        used int NOT NULL CHECK (used >= 0),
        PRIMARY KEY (capability_id, day)
      );

      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        network_id uuid NOT NULL REFERENCES networks(id),
        client_id uuid NOT NULL REFERENCES members(id),
        category text NOT NULL,
        region text NOT NULL,
        quantity int NOT NULL CHECK (quantity >= 1),
        deliver_by timestamptz NOT NULL,
        budget_minor bigint NOT NULL CHECK (budget_minor > 0),
        currency char(3) NOT NULL,
        notes text,
        status text NOT NULL,
        supplier_id uuid REFERENCES members(id),
        capability_id uuid REFERENCES capabilities(id) ON DELETE SET NULL,
        price_minor bigint,
        offer_expires_at timestamptz,
        current_offer_id uuid,
        fees jsonb,
        routing jsonb NOT NULL DEFAULT '[]'::jsonb,
        idempotency_key text NOT NULL,
        input_fingerprint text NOT NULL,
        accepted_at timestamptz,
        fulfilled_at timestamptz,
        cancelled_at timestamptz,
        refunded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (client_id, idempotency_key)
      );
      CREATE INDEX orders_network_created ON orders (network_id, created_at, id);
      CREATE INDEX orders_client_created ON orders (client_id, created_at, id);
      CREATE INDEX orders_supplier_created ON orders (supplier_id, created_at, id) WHERE supplier_id IS NOT NULL;
      CREATE INDEX orders_status ON orders (network_id, status);

      CREATE TABLE offers (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id),
        network_id uuid NOT NULL REFERENCES networks(id),
        supplier_id uuid NOT NULL REFERENCES members(id),
        capability_id uuid REFERENCES capabilities(id) ON DELETE SET NULL,
        capacity_day date NOT NULL,
        price_minor bigint NOT NULL,
        status text NOT NULL,
        offered_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        closed_at timestamptz
      );
      CREATE INDEX offers_order ON offers (order_id, offered_at);
      CREATE INDEX offers_supplier ON offers (supplier_id, offered_at);
      CREATE INDEX offers_open_expiry ON offers (expires_at) WHERE status = 'OPEN';

      CREATE TABLE order_events (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id),
        network_id uuid NOT NULL,
        type text NOT NULL,
        actor text NOT NULL,
        supplier_id uuid,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX order_events_order ON order_events (order_id, id);

      -- Work that must follow a commit, written in the same transaction and relayed to BullMQ.
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        queue text NOT NULL,
        name text NOT NULL,
        payload jsonb NOT NULL,
        run_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        relayed_at timestamptz
      );
      CREATE INDEX outbox_pending ON outbox (id) WHERE relayed_at IS NULL;

      CREATE TABLE ledger_accounts (
        id bigserial PRIMARY KEY,
        network_id uuid NOT NULL,
        currency char(3) NOT NULL,
        code text NOT NULL,
        member_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (network_id, currency, code)
      );
      CREATE INDEX ledger_accounts_member ON ledger_accounts (member_id, currency) WHERE member_id IS NOT NULL;

      CREATE TABLE journal_entries (
        id bigserial PRIMARY KEY,
        network_id uuid NOT NULL,
        currency char(3) NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        order_id uuid,
        statement_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX journal_entries_order ON journal_entries (order_id) WHERE order_id IS NOT NULL;

      -- Signed amounts: a debit is positive, a credit negative; an entry sums to zero.
      CREATE TABLE postings (
        id bigserial PRIMARY KEY,
        entry_id bigint NOT NULL REFERENCES journal_entries(id),
        account_id bigint NOT NULL REFERENCES ledger_accounts(id),
        amount_minor bigint NOT NULL,
        line text NOT NULL,
        order_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX postings_account ON postings (account_id, id) INCLUDE (amount_minor);
      CREATE INDEX postings_entry ON postings (entry_id);

      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
      END $$;
      CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

      -- Checked at commit, once all of an entry's postings are in.
      CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE total numeric; n int;
      BEGIN
        SELECT coalesce(sum(amount_minor), 0), count(*) INTO total, n FROM postings WHERE entry_id = NEW.entry_id;
        IF total <> 0 THEN
          RAISE EXCEPTION 'journal entry % does not balance (off by %)', NEW.entry_id, total;
        END IF;
        IF EXISTS (
          SELECT 1 FROM postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN journal_entries e ON e.id = p.entry_id
          WHERE p.entry_id = NEW.entry_id AND a.currency <> e.currency
        ) THEN
          RAISE EXCEPTION 'journal entry % mixes currencies', NEW.entry_id;
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON postings
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

      CREATE TABLE settlement_runs (
        id uuid PRIMARY KEY,
        network_id uuid NOT NULL REFERENCES networks(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE statements (
        id uuid PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES settlement_runs(id),
        network_id uuid NOT NULL,
        member_id uuid NOT NULL REFERENCES members(id),
        currency char(3) NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        status text NOT NULL,
        orders_as_client int NOT NULL,
        orders_as_supplier int NOT NULL,
        purchases_minor bigint NOT NULL,
        client_fees_minor bigint NOT NULL,
        earned_business_minor bigint NOT NULL,
        supplier_fees_minor bigint NOT NULL,
        partner_shares_minor bigint NOT NULL,
        net_minor bigint NOT NULL,
        paid_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX statements_member ON statements (member_id, currency, period_end);
      CREATE INDEX statements_run ON statements (run_id);

      -- Which posting a statement closed; the primary key makes closing one twice impossible.
      CREATE TABLE statement_postings (
        posting_id bigint PRIMARY KEY REFERENCES postings(id),
        statement_id uuid NOT NULL REFERENCES statements(id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE IF EXISTS statement_postings, statements, settlement_runs, postings, journal_entries,
        ledger_accounts, outbox, order_events, offers, orders, capacity_usage, capabilities,
        vetting_events, fee_term_changes, api_keys, members, networks CASCADE;
      DROP FUNCTION IF EXISTS ledger_check_entry_balanced();
      DROP FUNCTION IF EXISTS ledger_refuse_change();
    `);
  }
}
