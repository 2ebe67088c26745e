import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { beforeCommit } from './fault-injection';

/**
 * Retried here at once: a serialization failure or deadlock. A lock or statement
 * timeout is not (waiting again at once would only wait again): it fails the
 * request, or the job, which BullMQ retries with backoff (isTransientDatabaseError).
 */
const RETRYABLE = new Set(['40001', '40P01']);

/** One transaction per unit of work, retried when PostgreSQL asks for it. */
@Injectable()
export class TransactionRunner {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  async run<T>(work: (em: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (em) => {
          const result = await work(em);
          beforeCommit();
          return result;
        });
      } catch (e) {
        if (attempt >= attempts || !RETRYABLE.has(pgCode(e) ?? '')) throw e;
      }
    }
  }
}

export function pgCode(e: unknown): string | undefined {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.driverError?.code ?? err?.code;
}

export const isUniqueViolation = (e: unknown) => pgCode(e) === '23505';

/**
 * Runs queries side by side on the pool, or one after another inside a
 * transaction, whose single connection must not be given two queries at once.
 */
export async function queryAll<T extends readonly unknown[]>(em: EntityManager, queries: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (!em.queryRunner) return Promise.all(queries.map((q) => q())) as unknown as Promise<T>;
  const out: unknown[] = [];
  for (const q of queries) out.push(await q());
  return out as unknown as T;
}
