import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves journal_entries and postings onto monthly partitions (declarative,
 * RANGE on created_at), keeping every row, id, sequence and guarantee
 * (libs/ledger/README.md, "Partitions"):
 *
 * - A unique constraint on a partitioned table must include the partition key,
 *   so an idempotency key is claimed in journal_entry_keys (one row per key,
 *   not partitioned): a BEFORE INSERT trigger claims it and skips the entry when
 *   the key is taken, exactly as ON CONFLICT DO NOTHING did (a concurrent poster
 *   waits for the first to commit or roll back).
 * - The foreign key from postings to their entry cannot reference a
 *   partitioned table without the partition key; the statement-level balance
 *   trigger, which already joins every new posting to its entry, refuses a
 *   posting whose entry does not exist. statement_postings' foreign key to
 *   postings goes for the same reason (settlement links only postings it read).
 * - Append-only: the row triggers are on the partitioned tables (PostgreSQL
 *   clones them to every partition); TRUNCATE triggers are per partition too.
 * - Views over the two tables (any library's read models) are dropped and
 *   created again, unchanged, on the new tables.
 *
 * ledger_create_partitions(months) creates the partitions of the current month
 * and the next `months`; the worker's create-ledger-partitions job calls it
 * daily. A DEFAULT partition catches a row no partition was made for, so an
 * insert never fails on a missing month.
 */
export class LedgerPartitions1797400000000 implements MigrationInterface {
  name = 'LedgerPartitions1797400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Views reading the two tables, deepest last, to create again once the tables are swapped.
      CREATE TEMP TABLE ledger_dependent_views ON COMMIT DROP AS
      WITH RECURSIVE deps(oid, depth) AS (
        SELECT DISTINCT r.ev_class, 1
          FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
         WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid IN ('journal_entries'::regclass, 'postings'::regclass)
           AND r.ev_class NOT IN ('journal_entries'::regclass, 'postings'::regclass)
        UNION
        SELECT r.ev_class, deps.depth + 1
          FROM deps JOIN pg_depend d ON d.refobjid = deps.oid AND d.classid = 'pg_rewrite'::regclass
          JOIN pg_rewrite r ON r.oid = d.objid
         WHERE r.ev_class <> deps.oid
      )
      SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind, max(deps.depth) AS depth, pg_get_viewdef(c.oid) AS def
        FROM deps JOIN pg_class c ON c.oid = deps.oid JOIN pg_namespace n ON n.oid = c.relnamespace
       GROUP BY c.oid, n.nspname, c.relname, c.relkind;

      DO $$
      DECLARE v record; fk record; ix record;
      BEGIN
        IF EXISTS (SELECT 1 FROM ledger_dependent_views WHERE relkind <> 'v') THEN
          RAISE EXCEPTION 'a materialized view reads the ledger tables; drop it before partitioning';
        END IF;
        FOR v IN SELECT name FROM ledger_dependent_views ORDER BY depth DESC LOOP
          EXECUTE format('DROP VIEW %s', v.name);
        END LOOP;
        -- Foreign keys of other tables into these two cannot point at a partitioned table without its key.
        FOR fk IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
                   WHERE contype = 'f' AND confrelid IN ('journal_entries'::regclass, 'postings'::regclass)
                     AND conrelid NOT IN ('journal_entries'::regclass, 'postings'::regclass) LOOP
          EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        END LOOP;
        -- The old tables keep their data until it is copied; their index names are freed for the new ones.
        FOR ix IN SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                   WHERE x.indrelid IN ('journal_entries'::regclass, 'postings'::regclass) LOOP
          EXECUTE format('ALTER INDEX %I RENAME TO %I', ix.relname, left(ix.relname, 50) || '_unpartitioned');
        END LOOP;
      END $$;

      ALTER TABLE postings DROP CONSTRAINT IF EXISTS postings_entry_id_fkey;
      ALTER TABLE journal_entries RENAME TO journal_entries_unpartitioned;
      ALTER TABLE postings RENAME TO postings_unpartitioned;

      CREATE TABLE journal_entries (
        id bigint NOT NULL DEFAULT nextval('journal_entries_id_seq'),
        network_id uuid NOT NULL,
        currency char(3) NOT NULL,
        idempotency_key text NOT NULL,
        kind text NOT NULL,
        order_id uuid,
        statement_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, created_at)
      ) PARTITION BY RANGE (created_at);
      CREATE TABLE postings (
        id bigint NOT NULL DEFAULT nextval('postings_id_seq'),
        entry_id bigint NOT NULL,
        account_id bigint NOT NULL REFERENCES ledger_accounts(id),
        amount_minor bigint NOT NULL,
        line text NOT NULL,
        order_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, created_at)
      ) PARTITION BY RANGE (created_at);
      ALTER SEQUENCE journal_entries_id_seq OWNED BY journal_entries.id;
      ALTER SEQUENCE postings_id_seq OWNED BY postings.id;

      -- One row per idempotency key: the uniqueness the partitioned table cannot hold.
      CREATE TABLE journal_entry_keys (
        idempotency_key text PRIMARY KEY,
        entry_id bigint NOT NULL
      );

      CREATE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % refused on %', TG_OP, TG_TABLE_NAME;
      END $$;

      -- The partitions of the current month and the next months_ahead (and the DEFAULT one), created if missing.
      CREATE FUNCTION ledger_create_partitions(months_ahead integer, from_month date DEFAULT NULL) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        first_month date := date_trunc('month', coalesce(from_month, now()::date));
        last_month date := date_trunc('month', now()::date) + make_interval(months => months_ahead);
        m date;
        t text;
        created integer := 0;
      BEGIN
        FOREACH t IN ARRAY ARRAY['journal_entries', 'postings'] LOOP
          IF to_regclass(t || '_default') IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', t || '_default', t);
            EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate()', t || '_no_truncate', t || '_default');
          END IF;
          m := first_month;
          WHILE m <= last_month LOOP
            IF to_regclass(t || '_' || to_char(m, 'YYYY_MM')) IS NULL THEN
              EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                             t || '_' || to_char(m, 'YYYY_MM'), t, m::timestamptz, (m + interval '1 month')::timestamptz);
              EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate()',
                             t || '_' || to_char(m, 'YYYY_MM') || '_no_truncate', t || '_' || to_char(m, 'YYYY_MM'));
              created := created + 1;
            END IF;
            m := m + interval '1 month';
          END LOOP;
        END LOOP;
        RETURN created;
      END $$;
    `);
    // Every month that already holds a row, and three ahead.
    await q.query(`
      SELECT ledger_create_partitions(3, (SELECT least(min(created_at), now())::date FROM (
        SELECT min(created_at) AS created_at FROM journal_entries_unpartitioned
        UNION ALL SELECT min(created_at) FROM postings_unpartitioned) s));
    `);
    await q.query(`
      INSERT INTO journal_entries (id, network_id, currency, idempotency_key, kind, order_id, statement_id, created_at)
        SELECT id, network_id, currency, idempotency_key, kind, order_id, statement_id, created_at FROM journal_entries_unpartitioned;
      INSERT INTO journal_entry_keys (idempotency_key, entry_id) SELECT idempotency_key, id FROM journal_entries_unpartitioned;
      INSERT INTO postings (id, entry_id, account_id, amount_minor, line, order_id, created_at)
        SELECT id, entry_id, account_id, amount_minor, line, order_id, created_at FROM postings_unpartitioned;
      DO $$
      BEGIN
        IF (SELECT count(*) FROM journal_entries) <> (SELECT count(*) FROM journal_entries_unpartitioned)
           OR (SELECT count(*) FROM postings) <> (SELECT count(*) FROM postings_unpartitioned) THEN
          RAISE EXCEPTION 'the ledger lost rows while moving onto partitions';
        END IF;
      END $$;
      DROP TABLE postings_unpartitioned, journal_entries_unpartitioned;

      -- The indexes of before, on every partition; each read probes one index per partition.
      CREATE INDEX journal_entries_order ON journal_entries (order_id) WHERE order_id IS NOT NULL;
      CREATE INDEX journal_entries_key ON journal_entries (idempotency_key);
      CREATE INDEX journal_entries_network_time ON journal_entries (network_id, created_at);
      CREATE INDEX postings_account ON postings (account_id, id) INCLUDE (amount_minor);
      CREATE INDEX postings_entry ON postings (entry_id);
      CREATE INDEX postings_by_id ON postings (id);
      CREATE INDEX postings_account_close ON postings (account_id, id) WHERE line = 'CLOSE';

      CREATE FUNCTION ledger_claim_entry_key() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO journal_entry_keys (idempotency_key, entry_id) VALUES (NEW.idempotency_key, NEW.id) ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
          RETURN NULL; -- posted before (or by a transaction that committed first): the entry is skipped
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER journal_entries_claim_key BEFORE INSERT ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_claim_entry_key();

      CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
      CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
      CREATE TRIGGER postings_balance_cache AFTER INSERT ON postings
        REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_postings();

      CREATE OR REPLACE FUNCTION ledger_check_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE bad record;
      BEGIN
        SELECT p.entry_id, sum(p.amount_minor) AS off INTO bad
          FROM postings p WHERE p.entry_id IN (SELECT DISTINCT entry_id FROM new_postings)
         GROUP BY p.entry_id HAVING sum(p.amount_minor) <> 0 LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % does not balance (off by %)', bad.entry_id, bad.off;
        END IF;
        -- In place of the foreign key a partitioned table cannot have.
        SELECT p.entry_id INTO bad FROM new_postings p WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = p.entry_id) LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'posting refers to journal entry %, which does not exist', bad.entry_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        SELECT p.entry_id INTO bad
          FROM new_postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN journal_entries e ON e.id = p.entry_id
         WHERE a.currency <> e.currency LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'journal entry % mixes currencies', bad.entry_id;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER postings_balanced AFTER INSERT ON postings
        REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_entries_balanced();

      DO $$
      DECLARE v record;
      BEGIN
        FOR v IN SELECT name, def FROM ledger_dependent_views ORDER BY depth LOOP
          EXECUTE format('CREATE VIEW %s AS %s', v.name, v.def);
        END LOOP;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TEMP TABLE ledger_dependent_views ON COMMIT DROP AS
      SELECT DISTINCT format('%I.%I', n.nspname, c.relname) AS name, pg_get_viewdef(c.oid) AS def, c.oid
        FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid IN ('journal_entries'::regclass, 'postings'::regclass)
         AND c.oid NOT IN ('journal_entries'::regclass, 'postings'::regclass);
      DO $$ DECLARE v record; BEGIN
        FOR v IN SELECT name FROM ledger_dependent_views ORDER BY oid DESC LOOP EXECUTE format('DROP VIEW %s', v.name); END LOOP;
      END $$;

      ALTER TABLE journal_entries RENAME TO journal_entries_partitioned;
      ALTER TABLE postings RENAME TO postings_partitioned;
      ALTER TABLE journal_entries_partitioned RENAME CONSTRAINT journal_entries_pkey TO journal_entries_partitioned_pkey;
      ALTER TABLE postings_partitioned RENAME CONSTRAINT postings_pkey TO postings_partitioned_pkey;
      CREATE TABLE journal_entries (
        id bigint PRIMARY KEY DEFAULT nextval('journal_entries_id_seq'),
        network_id uuid NOT NULL, currency char(3) NOT NULL, idempotency_key text NOT NULL UNIQUE, kind text NOT NULL,
        order_id uuid, statement_id uuid, created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE postings (
        id bigint PRIMARY KEY DEFAULT nextval('postings_id_seq'),
        entry_id bigint NOT NULL REFERENCES journal_entries(id), account_id bigint NOT NULL REFERENCES ledger_accounts(id),
        amount_minor bigint NOT NULL, line text NOT NULL, order_id uuid, created_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO journal_entries SELECT id, network_id, currency, idempotency_key, kind, order_id, statement_id, created_at FROM journal_entries_partitioned;
      INSERT INTO postings SELECT id, entry_id, account_id, amount_minor, line, order_id, created_at FROM postings_partitioned;
      ALTER SEQUENCE journal_entries_id_seq OWNED BY journal_entries.id;
      ALTER SEQUENCE postings_id_seq OWNED BY postings.id;
      DROP TABLE postings_partitioned, journal_entries_partitioned, journal_entry_keys;
      DROP FUNCTION ledger_create_partitions(integer, date);
      DROP FUNCTION ledger_claim_entry_key();

      CREATE INDEX journal_entries_order ON journal_entries (order_id) WHERE order_id IS NOT NULL;
      CREATE INDEX postings_account ON postings (account_id, id) INCLUDE (amount_minor);
      CREATE INDEX postings_entry ON postings (entry_id);
      CREATE INDEX postings_account_close ON postings (account_id, id) WHERE line = 'CLOSE';
      CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
      CREATE TRIGGER postings_balance_cache AFTER INSERT ON postings
        REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply_postings();
      CREATE TRIGGER postings_balanced AFTER INSERT ON postings
        REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_entries_balanced();
      DROP FUNCTION ledger_refuse_truncate();
      ALTER TABLE statement_postings ADD FOREIGN KEY (posting_id) REFERENCES postings(id);

      DO $$ DECLARE v record; BEGIN
        FOR v IN SELECT name, def FROM ledger_dependent_views ORDER BY oid LOOP EXECUTE format('CREATE VIEW %s AS %s', v.name, v.def); END LOOP;
      END $$;
    `);
  }
}
