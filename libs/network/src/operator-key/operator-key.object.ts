import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiKey } from '@tandem/auth';

@ObjectType('OperatorKey', { description: "An operator key as it is listed: never the secret, only a hint to recognise it." })
export class OperatorKeyObject {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The first and last characters of the key.' })
  hint!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Set once the key is revoked; it is refused from then on.' })
  revokedAt!: Date | null;
}

@ObjectType('OperatorKeyIssued')
export class OperatorKeyIssuedObject {
  @Field({ description: 'The new key in clear text, shown this once; only its hash is stored.' })
  operatorKey!: string;

  @Field(() => OperatorKeyObject)
  key!: OperatorKeyObject;
}

export function toOperatorKeyObject(k: ApiKey): OperatorKeyObject {
  return { id: k.id, hint: k.hint, createdAt: k.createdAt, revokedAt: k.revokedAt };
}
