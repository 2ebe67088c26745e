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
