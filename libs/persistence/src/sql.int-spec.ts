import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { dropDatabase, ensureDatabase } from './database';
import { execute, selectRow, selectRows } from './sql';
import { TransactionRunner } from './transaction';

describe('sql helpers', () => {
  // Persistence sits below libs/testing, so this suite makes its own scratch database.
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/tandem_t_sql_${randomBytes(4).toString('hex')}`;
  const url = base.toString();
  let ds: DataSource;

  beforeAll(async () => {
    await ensureDatabase(url);
    ds = new DataSource(dataSourceOptions({ url, poolSize: 2, applicationName: 'tandem-test' }));
    await ds.initialize();
    await ds.query(`CREATE TABLE scratch (id int PRIMARY KEY, label text NOT NULL)`);
  });
  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(url);
  });

  it('counts the rows an INSERT, UPDATE and DELETE touched, outside and inside a transaction', async () => {
    expect(await execute(ds.manager, `INSERT INTO scratch (id, label) VALUES (1, 'a'), (2, 'b'), (3, 'c')`)).toBe(3);
    expect(await execute(ds.manager, `UPDATE scratch SET label = 'z' WHERE id > $1`, [1])).toBe(2);
    expect(await execute(ds.manager, `UPDATE scratch SET label = 'z' WHERE id = $1`, [99])).toBe(0);
    const deleted = await new TransactionRunner(ds).run((em) => execute(em, `DELETE FROM scratch WHERE label = $1`, ['z']));
    expect(deleted).toBe(2);
  });

  it('reads typed rows and the first row', async () => {
    expect(await selectRows<{ id: number; label: string }>(ds.manager, `SELECT id, label FROM scratch ORDER BY id`)).toEqual([{ id: 1, label: 'a' }]);
    expect(await selectRow<{ label: string }>(ds.manager, `SELECT label FROM scratch WHERE id = $1`, [1])).toEqual({ label: 'a' });
    expect(await selectRow(ds.manager, `SELECT label FROM scratch WHERE id = $1`, [2])).toBeUndefined();
  });
});
