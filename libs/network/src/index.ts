export * from './fee-terms/fee-schedule';
export * from './fee-terms/fee-schedule.object';
export * from './fee-terms/fee-term-change.entity';
export * from './network/network.entity';
export * from './network/network.object';
export * from './network/network.service';
export * from './network/network.module';
export * from './network-graphql.module';
