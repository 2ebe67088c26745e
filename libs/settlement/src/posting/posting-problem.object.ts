import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ParkedPosting } from './parked-posting.service';

@ObjectType('PostingProblem', {
  description: 'A posting parked because retrying cannot fix it: nothing of it is in the ledger until an operator calls retryPosting.',
})
export class PostingProblemObject {
  @Field(() => ID)
  orderId!: string;

  @Field(() => String, { description: 'FULFILMENT or REFUND: the step that could not be posted.' })
  step!: string;

  @Field(() => String, {
    description: 'AMOUNT_OUT_OF_RANGE, INVALID_DATA, CONSTRAINT_VIOLATED, LEDGER_REJECTED or ORDER_INCOMPLETE; more may come.',
  })
  reason!: string;

  @Field(() => String)
  message!: string;

  @Field(() => Int, { description: 'How many times it failed this way since it was last retried.' })
  attempts!: number;

  @Field(() => Date)
  parkedAt!: Date;
}

@ObjectType('PostingRetry')
export class PostingRetryObject {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Boolean, { description: 'True when the order is now fully posted.' })
  posted!: boolean;

  @Field(() => PostingProblemObject, { nullable: true, description: 'Set when the posting failed again and is parked again.' })
  problem!: PostingProblemObject | null;
}

export const toPostingProblemObject = (p: ParkedPosting): PostingProblemObject => ({
  orderId: p.orderId,
  step: p.step,
  reason: p.reason,
  message: p.message,
  attempts: p.attempts,
  parkedAt: p.parkedAt,
});
