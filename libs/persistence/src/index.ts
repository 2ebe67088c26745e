export * from './bigint.column';
export * from './data-source';
export * from './database';
export * from './transaction';
export * from './persistence.module';
export { MIGRATIONS } from './migrations';
