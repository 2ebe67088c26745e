import { Field, ObjectType } from '@nestjs/graphql';
import { ApiKey } from '@tandem/auth';
import { KeyListingFields, toKeyListing } from '../member-key/api-key.object';

@ObjectType('OperatorKey', { description: 'An operator key as it is listed: never the secret, only a hint to recognise it.' })
export class OperatorKeyObject extends KeyListingFields {}

@ObjectType('OperatorKeyIssued')
export class OperatorKeyIssuedObject {
  @Field({ description: 'The new key in clear text, shown this once; only its hash is stored.' })
  operatorKey!: string;

  @Field(() => OperatorKeyObject)
  key!: OperatorKeyObject;
}

export function toOperatorKeyObject(k: ApiKey): OperatorKeyObject {
  return toKeyListing(k);
}
