import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

/** One transaction per unit of work, retried when PostgreSQL asks for it. */
@Injectable()
export class TransactionRunner {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  async run<T>(work: (em: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
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
