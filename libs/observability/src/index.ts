export * from './observability.module';
export * from './metrics';
export * from './operation-labels';
export * from './request-id';
export * from './settlement-metrics';
export * from './metrics-sources';
export * from './tracing';
