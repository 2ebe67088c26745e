import { Module } from '@nestjs/common';
import { NetworkModule } from './network/network.module';
import { NetworkResolver } from './network/network.resolver';

/** The network domain's GraphQL surface; the worker imports the domain modules without it. */
@Module({
  imports: [NetworkModule],
  providers: [NetworkResolver],
})
export class NetworkGraphqlModule {}
