import { Field, ID, ObjectType } from '@nestjs/graphql';
import { StatementObject } from './statement.object';

@ObjectType('SettlementRun')
export class SettlementRunObject {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => [StatementObject])
  statements!: StatementObject[];
}
