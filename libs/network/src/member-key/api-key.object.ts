import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiKey } from '@tandem/auth';

/** What a listed key shows, member key or operator key: never the secret. */
@ObjectType({ isAbstract: true })
export abstract class KeyListingFields {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The first and last characters of the key.' })
  hint!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Set once the key is revoked; it is refused from then on.' })
  revokedAt!: Date | null;
}

@ObjectType('ApiKey', { description: 'A member key as it is listed: never the secret, only a hint to recognise it.' })
export class ApiKeyObject extends KeyListingFields {}

export function toKeyListing(k: ApiKey): KeyListingFields {
  return { id: k.id, hint: k.hint, createdAt: k.createdAt, revokedAt: k.revokedAt };
}

export function toApiKeyObject(k: ApiKey): ApiKeyObject {
  return toKeyListing(k);
}
