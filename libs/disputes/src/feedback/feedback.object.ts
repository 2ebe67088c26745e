import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@tandem/common';
import { MemberObject } from '@tandem/network';
import { OrderObject } from '@tandem/routing';
import { FeedbackRow } from './feedback.repository';

/** Who a piece of feedback is about: the order's supplier, its client, or the hub itself. */
export const FEEDBACK_SUBJECTS = ['SUPPLIER', 'CLIENT', 'HUB'] as const;
export type FeedbackSubject = (typeof FEEDBACK_SUBJECTS)[number];
export const FeedbackSubjectEnum = enumOf(FEEDBACK_SUBJECTS);
registerEnumType(FeedbackSubjectEnum, {
  name: 'FeedbackSubject',
  description: "Who a piece of feedback is about: the order's supplier, its client, or the hub itself.",
});

@ObjectType('Feedback')
export class FeedbackObject {
  @Field(() => ID)
  id!: string;

  @Field(() => OrderObject)
  order?: OrderObject;

  @Field(() => MemberObject)
  author?: MemberObject;

  @Field(() => FeedbackSubjectEnum)
  subject!: FeedbackSubject;

  @Field(() => Int, { description: '1 (worst) to 5 (best).' })
  rating!: number;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  /** Not exposed: resolved into order and author. */
  orderId!: string;
  authorId!: string;
}

@InputType('FeedbackInput')
export class FeedbackInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => FeedbackSubjectEnum)
  subject!: FeedbackSubject;

  @Field(() => Int)
  rating!: number;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}

export function toFeedbackObject(r: FeedbackRow): FeedbackObject {
  return {
    id: r.id,
    subject: r.subject as FeedbackSubject,
    rating: r.rating,
    comment: r.comment,
    createdAt: r.created_at,
    orderId: r.order_id,
    authorId: r.author_id,
  };
}
