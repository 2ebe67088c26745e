import { Field, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoObject } from '@tandem/common';
import { DisputeObject } from './dispute.object';

@ObjectType('DisputeEdge', { description: 'One dispute of a page, with its cursor.' })
export class DisputeEdgeObject {
  @Field(() => DisputeObject, { description: 'The dispute.' }) node!: DisputeObject;
  @Field(() => String, { description: "This dispute's position: pass it as after for the disputes that follow it." }) cursor!: string;
}

@ObjectType('DisputeConnection', { description: 'A page of disputes: the open ones oldest first, then the others newest first.' })
export class DisputeConnectionObject {
  @Field(() => [DisputeEdgeObject], { description: 'The disputes of this page, each with its cursor.' }) edges!: DisputeEdgeObject[];
  @Field(() => PageInfoObject, { description: 'Where this page sits in the list.' }) pageInfo!: PageInfoObject;
  @Field(() => Int, { description: 'How many disputes the whole filtered list holds.' }) totalCount!: number;
}
