import { DataSource, EntityTarget, ObjectLiteral, ValueTransformer } from 'typeorm';

/** How plain-SQL reads of one entity select and map its rows. */
export interface EntityRows<T> {
  /** The select list of every column under `alias`, by its database name (`alias.created_at`, ...). */
  columns(alias: string): string;
  /** One row of those columns as the entity, with the column transformers applied (bigint columns, ...). */
  map(row: Record<string, unknown>): T;
}

/** Column types whose read value TypeORM changes beyond what pg returns; an entity with one maps through TypeORM. */
const TYPEORM_CONVERTED = new Set(['date', 'time', 'time with time zone', 'time without time zone', 'simple-json', 'simple-array', 'simple-enum', 'hstore']);

function applyFrom(transformer: ValueTransformer | ValueTransformer[] | undefined, value: unknown): unknown {
  if (!transformer) return value;
  const chain = Array.isArray(transformer) ? [...transformer].reverse() : [transformer];
  return chain.reduce((v, t) => t.from(v) as unknown, value);
}

/**
 * A hot read written as one plain statement (no query builder) still returns
 * the entity TypeORM would have hydrated: the columns and transformers come
 * from the entity's own metadata, read once here, so no read keeps a second
 * copy of a table's columns. pg has already parsed dates, arrays and jsonb.
 */
export function entityRows<T extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<T>): EntityRows<T> {
  const known = built.get(dataSource) ?? new Map<EntityTarget<ObjectLiteral>, EntityRows<ObjectLiteral>>();
  built.set(dataSource, known);
  let rows = known.get(target) as EntityRows<T> | undefined;
  if (!rows) {
    rows = build(dataSource, target);
    known.set(target, rows);
  }
  return rows;
}

/** Each entity's mapping is built once per data source. */
const built = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, EntityRows<ObjectLiteral>>>();

function build<T extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<T>): EntityRows<T> {
  const metadata = dataSource.getMetadata(target);
  const converted = metadata.columns.find((c) => TYPEORM_CONVERTED.has(String(c.type)));
  if (converted)
    throw new Error(`entityRows: ${metadata.name}.${converted.propertyName} is a ${String(converted.type)} column, which TypeORM converts itself on read`);
  const columns = metadata.columns.map((c) => ({ db: c.databaseName, prop: c.propertyName, transformer: c.transformer }));
  return {
    columns: (alias) => columns.map((c) => `${alias}.${c.db}`).join(', '),
    map: (row) => {
      const entity = metadata.create() as T;
      for (const c of columns) (entity as Record<string, unknown>)[c.prop] = applyFrom(c.transformer, row[c.db]);
      return entity;
    },
  };
}
