import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, RequestContext } from '@tandem/auth';
import { MemberLoader, MemberObject } from '@tandem/network';
import { StatementObject, toStatementObject } from './statement.object';
import { StatementService } from './statement.service';

@Resolver(() => StatementObject)
export class StatementResolver {
  constructor(
    private readonly service: StatementService,
    private readonly members: MemberLoader,
  ) {}

  @Query(() => [StatementObject], { description: "A member's statements, newest first." })
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  async statements(@CurrentCaller() caller: Caller, @Args('memberId', { type: () => ID }) memberId: string): Promise<StatementObject[]> {
    return (await this.service.forMember(caller, memberId)).map(toStatementObject);
  }

  @Query(() => String, {
    description: "The statement as CSV: its figures, then the postings it closed. Cells that a spreadsheet would read as a formula start with '.",
  })
  @Allow('OPERATOR', 'CLIENT', 'SUPPLIER', 'PARTNER')
  statementCsv(@CurrentCaller() caller: Caller, @Args('statementId', { type: () => ID }) statementId: string): Promise<string> {
    return this.service.csv(caller, statementId);
  }

  @Mutation(() => StatementObject, { description: "Operator: records that the statement's net was paid (to or by the member)." })
  @Allow('OPERATOR')
  async markStatementPaid(@CurrentCaller() caller: Caller, @Args('statementId', { type: () => ID }) statementId: string): Promise<StatementObject> {
    return toStatementObject(await this.service.markPaid(caller, statementId));
  }

  @ResolveField('member', () => MemberObject)
  member(@Parent() statement: StatementObject, @Context() ctx: RequestContext): Promise<MemberObject> {
    return this.members.load(ctx, statement.memberId);
  }
}
