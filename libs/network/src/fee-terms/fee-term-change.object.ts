import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { FeeTermChangeEntity } from './fee-term-change.entity';

@ObjectType('FeeTermOverrides', { description: "A member's own fee terms over the network's schedule; null: the network's value applies." })
export class FeeTermOverridesObject {
  @Field(() => Int, { nullable: true })
  clientFeeBps!: number | null;

  @Field(() => Int, { nullable: true })
  supplierFeeBps!: number | null;

  @Field(() => Int, { nullable: true })
  partnerShareBps!: number | null;

  @Field(() => Int, { nullable: true })
  partnerShareMonths!: number | null;

  @Field(() => Int, { nullable: true })
  offerTimeoutSeconds!: number | null;
}

@ObjectType('FeeTermChange', { description: "One version of a member's fee term overrides, in force from effectiveAt." })
export class FeeTermChangeObject {
  @Field(() => ID)
  id!: string;

  @Field(() => FeeTermOverridesObject, { description: 'The overrides after the change.' })
  overrides!: FeeTermOverridesObject;

  @Field(() => Date)
  effectiveAt!: Date;
}

export function toFeeTermChangeObject(c: FeeTermChangeEntity): FeeTermChangeObject {
  const t = c.terms ?? {};
  return {
    id: c.id,
    overrides: {
      clientFeeBps: t.clientFeeBps ?? null,
      supplierFeeBps: t.supplierFeeBps ?? null,
      partnerShareBps: t.partnerShareBps ?? null,
      partnerShareMonths: t.partnerShareMonths ?? null,
      offerTimeoutSeconds: t.offerTimeoutSeconds ?? null,
    },
    effectiveAt: c.effectiveAt,
  };
}
