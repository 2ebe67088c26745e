import { join, resolve } from 'path';
import { KNOWN_VIOLATIONS } from './known-violations';
import {
  TableUse,
  declaredOwnership,
  declaredViews,
  entityTables,
  foreignUses,
  foreignViewWrites,
  migratedTables,
  migratedViews,
  scanTableUses,
  scanViewUses,
  sqlTableAccess,
  sqlTables,
} from './table-scanner';

/**
 * Each table has one owning library (docs/architecture.md, "Data access"), declared
 * in libs/<lib>/src/owned-tables.ts; no other library's production code names it.
 */

const REPO = resolve(__dirname, '../..');
const FIXTURE = join(__dirname, 'fixtures');

const row = (v: { lib: string; table: string; file: string }) => `${v.lib} names ${v.table} in ${v.file}`;

function scan(root: string) {
  const ownership = declaredOwnership(root);
  const tables = new Set([...ownership.values()].flat());
  const entities = entityTables(root);
  const uses = scanTableUses(root, tables, entities);
  const views = declaredViews(root);
  const viewUses = scanViewUses(root, new Set([...views.values()].flat()));
  return { ownership, tables, entities, uses, foreign: foreignUses(uses, ownership), views, viewUses, viewWrites: foreignViewWrites(viewUses, views) };
}

const distinctRows = (uses: readonly TableUse[]) => [...new Set(uses.map(row))].sort();

describe('table ownership', () => {
  const repo = scan(REPO);

  it('gives every table the migrations create exactly one owning library', () => {
    const owners = (table: string) => [...repo.ownership].filter(([, tables]) => tables.includes(table)).map(([lib]) => lib);
    const created = migratedTables(REPO);
    expect(created.length).toBeGreaterThan(0);
    expect(created.filter((t) => owners(t).length !== 1).map((t) => `${t}: ${owners(t).join(', ') || 'no owner'}`)).toEqual([]);
    // TypeORM's own record of the migrations run belongs to persistence.
    expect(owners('migrations')).toEqual(['persistence']);
  });

  it('declares each entity’s table in the library that holds the entity', () => {
    const misplaced = [...repo.entities]
      .filter(([, e]) => !(repo.ownership.get(e.lib) ?? []).includes(e.table))
      .map(([name, e]) => `${name} (${e.table}) in ${e.lib}`);
    expect(misplaced).toEqual([]);
  });

  it('finds no library naming a table it does not own, beyond the known violations', () => {
    const known = new Set(KNOWN_VIOLATIONS.map(row));
    const found = distinctRows(repo.foreign);
    // A new read of another library's table: go through what the owner exports instead.
    expect(found.filter((r) => !known.has(r))).toEqual([]);
  });

  it('lists only violations that still exist, so the list can only shrink', () => {
    const found = new Set(distinctRows(repo.foreign));
    // Gone from the code: delete these rows from tools/ownership/known-violations.ts.
    expect(KNOWN_VIOLATIONS.map(row).filter((r) => !found.has(r))).toEqual([]);
    expect(new Set(KNOWN_VIOLATIONS.map(row)).size).toBe(KNOWN_VIOLATIONS.length);
  });

  it('gives every view the migrations create exactly one owning library, which owns no table of the same name', () => {
    const owners = (view: string) => [...repo.views].filter(([, views]) => views.includes(view)).map(([lib]) => lib);
    const created = migratedViews(REPO);
    expect(created.length).toBeGreaterThan(0);
    expect(created.filter((v) => owners(v).length !== 1).map((v) => `${v}: ${owners(v).join(', ') || 'no owner'}`)).toEqual([]);
    expect([...repo.views.values()].flat().filter((v) => !created.includes(v) || repo.tables.has(v))).toEqual([]);
  });

  it('lets any library read another library’s public views, and none write them', () => {
    // A public view is the owner's read model: write through the owner's exported functions instead.
    expect(repo.viewWrites.map(row)).toEqual([]);
  });

  describe('the scanner, on a fixture (tools/ownership/fixtures)', () => {
    const fixture = scan(FIXTURE);

    it('reads the declarations, the entities and the tables the migrations create', () => {
      expect(Object.fromEntries(fixture.ownership)).toEqual({ alpha: ['alphas'], beta: ['betas'], persistence: ['migrations'] });
      expect(Object.fromEntries([...fixture.entities].map(([name, e]) => [name, e.table]))).toEqual({ AlphaEntity: 'alphas', BetaEntity: 'betas' });
      expect(migratedTables(FIXTURE)).toEqual(['alphas', 'betas']);
    });

    it('catches a foreign table in raw SQL and in an ORM call, and nothing else', () => {
      expect(fixture.foreign).toEqual([
        { lib: 'alpha', table: 'betas', file: 'libs/alpha/src/foreign-orm.service.ts', via: 'orm' },
        { lib: 'alpha', table: 'betas', file: 'libs/alpha/src/foreign-sql.service.ts', via: 'sql' },
      ]);
    });

    it('sees the table a library owns, and neither prose, comments nor tests', () => {
      const repository = fixture.uses.filter((u) => u.file === 'libs/alpha/src/alpha.repository.ts');
      expect(repository).toEqual([
        { lib: 'alpha', table: 'alphas', file: 'libs/alpha/src/alpha.repository.ts', via: 'orm' },
        { lib: 'alpha', table: 'alphas', file: 'libs/alpha/src/alpha.repository.ts', via: 'sql' },
      ]);
      expect(fixture.uses.some((u) => u.file.endsWith('.int-spec.ts'))).toBe(false);
    });

    it('allows reading another library’s public view and catches writing it', () => {
      expect(Object.fromEntries(fixture.views)).toEqual({ beta: ['beta_facts'] });
      expect(migratedViews(FIXTURE)).toEqual(['beta_facts']);
      expect(fixture.viewUses).toEqual([
        { lib: 'alpha', table: 'beta_facts', file: 'libs/alpha/src/beta-facts-read.service.ts', via: 'sql', write: false },
        { lib: 'alpha', table: 'beta_facts', file: 'libs/alpha/src/beta-facts-write.service.ts', via: 'sql', write: true },
      ]);
      expect(fixture.viewWrites.map(row)).toEqual(['alpha names beta_facts in libs/alpha/src/beta-facts-write.service.ts']);
    });

    it('tells a write from a read', () => {
      const views = new Set(['order_facts']);
      expect(sqlTableAccess('SELECT id FROM order_facts WHERE id = $1', views)).toEqual([{ table: 'order_facts', write: false }]);
      expect(sqlTableAccess('select 1 from members m join order_facts o on o.client_id = m.id', views)).toEqual([{ table: 'order_facts', write: false }]);
      expect(sqlTableAccess('DELETE FROM order_facts WHERE id = $1', views)).toEqual([{ table: 'order_facts', write: true }]);
      expect(sqlTableAccess('UPDATE order_facts SET status = $2', views)).toEqual([{ table: 'order_facts', write: true }]);
      expect(sqlTableAccess('INSERT INTO order_facts (id) SELECT id FROM order_facts', views)).toEqual([{ table: 'order_facts', write: true }]);
    });

    it('reads SQL keywords in upper case, or in any case once the text begins as a statement', () => {
      const tables = new Set(['orders', 'members']);
      expect(sqlTables('UPDATE orders SET status = $2', tables)).toEqual(['orders']);
      expect(sqlTables('select id from members m join orders o on o.client_id = m.id', tables)).toEqual(['members', 'orders']);
      expect(sqlTables('DELETE FROM ONLY public."orders" WHERE id = $1', tables)).toEqual(['orders']);
      expect(sqlTables('Refunds come back from orders the client cancelled', tables)).toEqual([]);
      expect(sqlTables('SELECT 1 FROM jsonb_array_elements($1) s', tables)).toEqual([]);
    });
  });
});
