import { Field, ObjectType } from '@nestjs/graphql';

/** The Relay connection spec's PageInfo, whole; connection.ts fills it (pageOf, toPage). */
@ObjectType('PageInfo')
export class PageInfoObject {
  @Field()
  hasNextPage!: boolean;

  @Field({ description: 'True when `after` pointed past at least one row.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first edge's cursor; null with no edges." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "The last edge's cursor; null with no edges." })
  endCursor!: string | null;
}
