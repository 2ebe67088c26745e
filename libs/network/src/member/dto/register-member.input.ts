import { Field, ID, InputType } from '@nestjs/graphql';
import { RoleEnum } from '../member.object';

@InputType('MemberInput')
export class RegisterMemberInput {
  @Field(() => String)
  name!: string;

  @Field(() => [RoleEnum])
  roles!: RoleEnum[];

  @Field(() => ID, { nullable: true })
  referredById?: string | null;
}
