import { Field, ID, ObjectType } from '@nestjs/graphql';
import { VettingStatusEnum } from '../member/member.object';
import { VettingEventEntity } from './vetting-event.entity';

@ObjectType('VettingEvent', { description: "One change of a supplier's vetting status." })
export class VettingEventObject {
  @Field(() => ID)
  id!: string;

  @Field(() => VettingStatusEnum, { nullable: true, description: 'Null when the member was not a supplier before (registration, SUPPLIER role gained).' })
  fromStatus!: VettingStatusEnum | null;

  @Field(() => VettingStatusEnum)
  toStatus!: VettingStatusEnum;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => String, { description: 'Who made the change: operator:<key id> or member:<member id>.' })
  actor!: string;

  @Field(() => Date)
  createdAt!: Date;
}

export function toVettingEventObject(e: VettingEventEntity): VettingEventObject {
  return {
    id: e.id,
    fromStatus: e.fromStatus as VettingStatusEnum | null,
    toStatus: e.toStatus as VettingStatusEnum,
    note: e.note,
    actor: e.actor,
    createdAt: e.createdAt,
  };
}
