import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiKey } from '@tandem/auth';

@ObjectType('ApiKey', { description: 'A member key as it is listed: never the secret, only a hint to recognise it.' })
export class ApiKeyObject {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The first and last characters of the key.' })
  hint!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

export function toApiKeyObject(k: ApiKey): ApiKeyObject {
  return { id: k.id, hint: k.hint, createdAt: k.createdAt, revokedAt: k.revokedAt };
}
