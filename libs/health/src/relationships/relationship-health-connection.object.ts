import { Field, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoObject } from '@tandem/common';
import { RelationshipHealthObject } from '../health/relationship-health.object';

@ObjectType('RelationshipHealthEdge')
export class RelationshipHealthEdgeObject {
  @Field(() => RelationshipHealthObject) node!: RelationshipHealthObject;
  @Field(() => String) cursor!: string;
}

@ObjectType('RelationshipHealthConnection')
export class RelationshipHealthConnectionObject {
  @Field(() => [RelationshipHealthEdgeObject]) edges!: RelationshipHealthEdgeObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
  @Field(() => Int) totalCount!: number;
}
