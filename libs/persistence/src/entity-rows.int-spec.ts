import { randomBytes, randomUUID } from 'node:crypto';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from './bigint.column';
import { dataSourceOptions } from './data-source';
import { dropDatabase, ensureDatabase } from './database';
import { entityRows } from './entity-rows';
import { selectRows } from './sql';

@Entity('sample')
class Sample {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @BigIntColumn({ name: 'amount_minor' })
  amountMinor!: bigint;

  @BigIntColumn({ name: 'maybe_minor', nullable: true })
  maybeMinor!: bigint | null;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ type: 'jsonb' })
  doc!: { rows: { n: number }[] };

  @Column({ name: 'seen_at', type: 'timestamptz', nullable: true })
  seenAt!: Date | null;

  @Column('int')
  quantity!: number;
}

@Entity('dated')
class Dated {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('date')
  day!: string;
}

describe('entityRows: plain-SQL reads that return what TypeORM hydrates', () => {
  // Persistence sits below libs/testing, so this suite makes its own scratch database.
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/tandem_t_rows_${randomBytes(4).toString('hex')}`;
  const url = base.toString();
  let ds: DataSource;

  beforeAll(async () => {
    await ensureDatabase(url);
    ds = new DataSource({ ...dataSourceOptions({ url, poolSize: 2, applicationName: 'tandem-test' }), entities: [Sample, Dated] });
    await ds.initialize();
    await ds.query(`CREATE TABLE sample (id uuid PRIMARY KEY, display_name text NOT NULL, amount_minor bigint NOT NULL, maybe_minor bigint,
                      tags text[] NOT NULL, doc jsonb NOT NULL, seen_at timestamptz, quantity int NOT NULL)`);
  });
  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(url);
  });

  it('maps every column by its database name, through the column transformers, to an instance equal to findBy', async () => {
    const ids = [randomUUID(), randomUUID()];
    // Beyond 2^53: a bigint that passed through a JS number would come back changed.
    await ds.query(
      `INSERT INTO sample VALUES ($1, 'Ada', 9007199254740993, NULL, ARRAY['a','b'], '{"rows":[{"n":1}]}', '2026-03-01T10:00:00.123Z', 3),
                                 ($2, 'Bo', -5, 12, '{}', '{"rows":[]}', NULL, 0)`,
      ids,
    );
    const rows = entityRows(ds, Sample);
    expect(rows.columns('s')).toBe('s.id, s.display_name, s.amount_minor, s.maybe_minor, s.tags, s.doc, s.seen_at, s.quantity');
    const mapped = (await selectRows<Record<string, unknown>>(ds.manager, `SELECT ${rows.columns('s')} FROM sample s ORDER BY display_name`)).map(rows.map);
    const hydrated = await ds.getRepository(Sample).find({ order: { displayName: 'ASC' } });
    expect(mapped).toEqual(hydrated);
    expect(mapped[0]).toBeInstanceOf(Sample);
    expect(mapped[0].amountMinor).toBe(9007199254740993n);
    expect(mapped[0].maybeMinor).toBeNull();
    expect(mapped[1].maybeMinor).toBe(12n);
    expect(mapped[0].seenAt?.toISOString()).toBe('2026-03-01T10:00:00.123Z');
    expect(mapped[0].doc).toEqual({ rows: [{ n: 1 }] });
  });

  it('refuses an entity with a column TypeORM converts on read itself (a date comes back from pg as a Date, from TypeORM as a string)', () => {
    expect(() => entityRows(ds, Dated)).toThrow(/Dated.day is a date column/);
  });
});
