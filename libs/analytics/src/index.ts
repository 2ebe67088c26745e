export * from './insight/network-insight';
export * from './insight/network-insight.service';
export * from './analytics.module';
export * from './analytics-graphql.module';
