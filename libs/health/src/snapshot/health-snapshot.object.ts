import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoObject } from '@tandem/common';
import { MoneyObject, money, toMoneyOutput } from '@tandem/money';
import { MemberObject } from '@tandem/network';
import { HealthEventEntity } from './health-event.entity';
import { HealthSnapshotEntity } from './health-snapshot.entity';

@ObjectType('HealthSnapshot', { description: "A member's health as the periodic snapshot saw it (for trends)." })
export class HealthSnapshotObject {
  @Field(() => Date) computedAt!: Date;
  @Field(() => Float) score!: number;
  @Field(() => Float) credibility!: number;
  @Field(() => Float) reliability!: number;
  @Field(() => Float) intimacy!: number;
  @Field(() => Float) selfOrientation!: number;
  @Field(() => Float) trust!: number;
  @Field(() => MoneyObject) valueToMember!: MoneyObject;
  @Field(() => MoneyObject) valueToHub!: MoneyObject;
  @Field(() => Boolean) atRisk!: boolean;
}

export function toHealthSnapshotObject(s: HealthSnapshotEntity): HealthSnapshotObject {
  return {
    computedAt: s.computedAt,
    score: s.score,
    credibility: s.credibility,
    reliability: s.reliability,
    intimacy: s.intimacy,
    selfOrientation: s.selfOrientation,
    trust: s.trust,
    valueToMember: toMoneyOutput(money(s.valueToMemberMinor, s.currency)),
    valueToHub: toMoneyOutput(money(s.valueToHubMinor, s.currency)),
    atRisk: s.atRisk,
  };
}

@ObjectType('HealthEvent', { description: "A change of a member's at-risk flag: into risk (atRisk true) or out of it." })
export class HealthEventObject {
  @Field(() => ID) id!: string;
  @Field(() => MemberObject) member?: MemberObject;
  @Field(() => Date) at!: Date;
  @Field(() => Boolean) atRisk!: boolean;
  @Field(() => Float) score!: number;
  @Field(() => String, { description: 'Why, in plain words.' }) reason!: string;

  /** Not exposed: the member field resolver loads it. */
  memberId!: string;
}

export function toHealthEventObject(e: HealthEventEntity): HealthEventObject {
  return { id: String(e.id), memberId: e.memberId, at: e.at, atRisk: e.atRisk, score: e.score, reason: e.reason };
}

@ObjectType('HealthEventEdge')
export class HealthEventEdgeObject {
  @Field(() => HealthEventObject) node!: HealthEventObject;
  @Field(() => String) cursor!: string;
}

@ObjectType('HealthEventConnection')
export class HealthEventConnectionObject {
  @Field(() => [HealthEventEdgeObject]) edges!: HealthEventEdgeObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
  @Field(() => Int) totalCount!: number;
}
