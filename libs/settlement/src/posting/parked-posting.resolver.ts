import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Caller, CurrentCaller, networkOf } from '@tandem/auth';
import { OrderPostingService } from './order-posting.service';
import { ParkedPostingService } from './parked-posting.service';
import { PostingProblemObject, PostingRetryObject, toPostingProblemObject } from './posting-problem.object';

@Resolver(() => PostingProblemObject)
export class ParkedPostingResolver {
  constructor(
    private readonly parked: ParkedPostingService,
    private readonly postings: OrderPostingService,
  ) {}

  @Query(() => [PostingProblemObject], { description: "Operator: the network's parked postings, oldest first (at most 100)." })
  @Allow('OPERATOR')
  async parkedPostings(@CurrentCaller() caller: Caller): Promise<PostingProblemObject[]> {
    return (await this.parked.list(networkOf(caller))).map(toPostingProblemObject);
  }

  @Mutation(() => PostingRetryObject, {
    description: 'Operator, once the cause is fixed: posts a parked order now; if it still cannot be posted it is parked again.',
  })
  @Allow('OPERATOR')
  async retryPosting(@CurrentCaller() caller: Caller, @Args('orderId', { type: () => ID }) orderId: string): Promise<PostingRetryObject> {
    const outcome = await this.postings.retryParked(networkOf(caller), orderId);
    const problem = outcome === 'parked' ? ((await this.parked.problemsOf([orderId])).get(orderId) ?? null) : null;
    return { orderId, posted: outcome === 'posted' || outcome === 'already-posted', problem: problem && toPostingProblemObject(problem) };
  }
}
