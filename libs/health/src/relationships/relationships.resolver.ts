import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { RoleEnum } from '@tandem/network';
import { RelationshipHealthConnectionObject } from './relationship-health-connection.object';
import { RelationshipsService } from './relationships.service';

@Resolver()
export class RelationshipsResolver {
  constructor(private readonly service: RelationshipsService) {}

  @Query(() => RelationshipHealthConnectionObject, {
    description:
      "Operator: every member's relationship health, weakest first (score ascending, then member id). May lag order events and postings by up to 60 s; relationshipHealth(memberId) is exact.",
  })
  @Allow('OPERATOR')
  relationships(
    @CurrentCaller() caller: Caller,
    @Args('role', { type: () => RoleEnum, nullable: true }) role?: RoleEnum | null,
    @Args('atRisk', { type: () => Boolean, nullable: true }) atRisk?: boolean | null,
    @Args('search', {
      type: () => String,
      nullable: true,
      description: 'Only members whose name contains this text, any case (1 to 200 characters, trimmed; % and _ match themselves); blank is no search.',
    })
    search?: string | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<RelationshipHealthConnectionObject> {
    return this.service.list(networkOf(caller), { role, atRisk, search, first, after });
  }
}
