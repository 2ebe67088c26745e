import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@tandem/auth';
import { CapabilityEntity } from '../capability/capability.entity';
import { CapabilityLoader } from '../capability/capability.loader';
import { CapabilityService } from '../capability/capability.service';
import { FeeTermChangeEntity } from '../fee-terms/fee-term-change.entity';
import { TermsLoader } from '../fee-terms/terms.loader';
import { TermsService } from '../fee-terms/terms.service';
import { MemberKeyService } from '../member-key/member-key.service';
import { MemberEntity } from '../member/member.entity';
import { MemberLoader } from '../member/member.loader';
import { MemberPolicy } from '../member/member.policy';
import { MemberService } from '../member/member.service';
import { OperatorKeyService } from '../operator-key/operator-key.service';
import { SupplierStatusListeners } from '../vetting/supplier-status.listeners';
import { VettingEventEntity } from '../vetting/vetting-event.entity';
import { VettingService } from '../vetting/vetting.service';
import { NetworkEntity } from './network.entity';
import { NetworkService } from './network.service';

const SERVICES = [
  NetworkService,
  MemberService,
  MemberPolicy,
  MemberLoader,
  MemberKeyService,
  OperatorKeyService,
  CapabilityService,
  CapabilityLoader,
  VettingService,
  SupplierStatusListeners,
  TermsService,
  TermsLoader,
];

/**
 * The network domain: networks, members, referrals, vetting, capabilities and
 * fee terms. Imported by the API (through NetworkGraphqlModule) and by the
 * worker; other domains import it for MemberService, MemberPolicy,
 * MemberLoader, TermsService and SupplierStatusListeners (one instance each).
 */
@Module({
  // AuthModule for ApiKeyService (operator and member keys), also in the worker.
  imports: [AuthModule, TypeOrmModule.forFeature([NetworkEntity, MemberEntity, CapabilityEntity, VettingEventEntity, FeeTermChangeEntity])],
  providers: SERVICES,
  exports: SERVICES,
})
export class NetworkModule {}
