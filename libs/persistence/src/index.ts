export * from './bigint.column';
export * from './data-source';
export * from './database-role';
export { runAsJob } from './fault-injection';
export * from './database';
export * from './transaction';
export * from './sql';
export * from './persistence.module';
export { MIGRATIONS } from './migrations';
