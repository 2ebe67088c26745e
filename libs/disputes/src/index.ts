export * from './disputes.module';
export * from './disputes-graphql.module';
export * from './windows';
export * from './feedback/feedback.object';
export * from './feedback/feedback.service';
export * from './dispute/dispute.object';
export * from './dispute/dispute.service';
