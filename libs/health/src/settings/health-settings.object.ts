import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('HealthSettings', { description: "The network's relationship-health settings." })
export class HealthSettingsObject {
  @Field(() => Int, { description: 'Trailing window of every measure, in days (default 90).' }) windowDays!: number;
  @Field(() => Int, { description: 'A score below this is at risk (default 40).' }) atRiskScore!: number;
  @Field(() => Int, { description: 'A fall of this many points from the best snapshot of the lookback is at risk (default 15).' }) sharpDrop!: number;
  @Field(() => Int, { description: 'Days the sharp-drop rule looks back (default 7).' }) dropLookbackDays!: number;
  @Field(() => Int, { description: 'Days without business after which a member counts as lost (default 90).' }) idleDays!: number;
}
