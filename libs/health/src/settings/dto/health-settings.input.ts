import { Field, InputType, Int } from '@nestjs/graphql';

/** Absent or null fields mean "leave as it is". */
@InputType('HealthSettingsInput')
export class HealthSettingsInput {
  @Field(() => Int, { nullable: true }) windowDays?: number | null;
  @Field(() => Int, { nullable: true }) atRiskScore?: number | null;
  @Field(() => Int, { nullable: true }) sharpDrop?: number | null;
  @Field(() => Int, { nullable: true }) dropLookbackDays?: number | null;
  @Field(() => Int, { nullable: true }) idleDays?: number | null;
}
