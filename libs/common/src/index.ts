export * from './errors';
export * from './ids';
export * from './validate';
export * from './connection';
export * from './date-time.scalar';
export * from './config';
export * from './config.module';
export * from './page-info.object';
