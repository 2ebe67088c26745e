export * from './job-types';
export * from './outbox.entity';
export * from './outbox.service';
export * from './outbox-relay.service';
export * from './queue-registry';
export * from './recurring-jobs.service';
export * from './jobs.module';
export * from './queue-store';
