import { Module } from '@nestjs/common';
import { CapabilityResolver } from './capability/capability.resolver';
import { TermsResolver } from './fee-terms/terms.resolver';
import { MemberKeyResolver } from './member-key/member-key.resolver';
import { MemberResolver } from './member/member.resolver';
import { NetworkModule } from './network/network.module';
import { NetworkResolver } from './network/network.resolver';
import { OperatorKeyResolver } from './operator-key/operator-key.resolver';
import { VettingResolver } from './vetting/vetting.resolver';

/** The network domain's GraphQL surface; the worker imports the domain modules without it. */
@Module({
  imports: [NetworkModule],
  providers: [NetworkResolver, MemberResolver, MemberKeyResolver, OperatorKeyResolver, CapabilityResolver, VettingResolver, TermsResolver],
})
export class NetworkGraphqlModule {}
