import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { EntityManager } from 'typeorm';

/**
 * Rows of a SELECT (or of a statement with RETURNING), typed by the caller.
 * The one place that states what TypeORM's raw `query` returns for a read.
 */
export function selectRows<Row>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
  return em.query(sql, params as unknown[]);
}

/** The first row, or undefined when there is none. */
export async function selectRow<Row>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
  return (await selectRows<Row>(em, sql, params))[0];
}

/**
 * Runs an INSERT, UPDATE or DELETE and returns how many rows it touched.
 * TypeORM's `query` answers an UPDATE with `[rows, count]` and an INSERT with the
 * rows alone; its structured result says `affected` for every kind.
 */
export async function execute(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<number> {
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, params as unknown[], true);
    return result.affected ?? result.records?.length ?? 0;
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}

/** Statement names by text: each text is hashed once per process. */
const preparedNames = new Map<string, string>();
const MAX_PREPARED_NAMES = 1_000;

function preparedName(sql: string): string {
  let name = preparedNames.get(sql);
  if (!name) {
    name = `tandem_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    if (preparedNames.size >= MAX_PREPARED_NAMES) preparedNames.clear();
    preparedNames.set(sql, name);
  }
  return name;
}

/**
 * Rows of a statement run as a named prepared statement: each connection
 * parses and plans it once, and later calls send only its values (on the
 * intake path PostgreSQL's CPU per placeOrder fell by about a sixth;
 * bench/README.md, "Intake"; on a routing pass by about half). For hot
 * statements whose plan does not depend on their values, such as writes and
 * reads by key or a read along one index's order with a LIMIT: after five
 * calls PostgreSQL may keep one generic plan, so a read whose best plan
 * changes with its values stays with selectRows. Inside a transaction it runs on the transaction's
 * connection, outside one on a connection of the pool for that statement.
 */
export async function selectRowsPrepared<Row>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
  const query = { name: preparedName(sql), text: sql, values: params as unknown[] };
  const connection: Pool | PoolClient = em.queryRunner
    ? ((await em.queryRunner.connect()) as PoolClient)
    : (em.connection.driver as unknown as { master: Pool }).master;
  return (await connection.query(query)).rows as Row[];
}
