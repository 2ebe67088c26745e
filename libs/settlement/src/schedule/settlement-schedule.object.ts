import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('SettlementSchedule', { description: "The network's scheduled settlement runs." })
export class SettlementScheduleObject {
  @Field(() => Int, { description: 'Hours between scheduled runs; 0: off (the default).' })
  intervalHours!: number;
}
