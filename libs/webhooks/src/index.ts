export * from './webhook-jobs';
export * from './webhooks-worker.module';
