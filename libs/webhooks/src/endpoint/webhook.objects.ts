import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoObject } from '@tandem/common';
import { WebhookDeliveryRow } from '../delivery/webhook-delivery.repository';
import { WebhookEndpointRow } from './webhook-endpoint.repository';

export enum WebhookDeliveryStatusEnum {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatusEnum, { name: 'WebhookDeliveryStatus' });

@ObjectType('WebhookEndpoint', { description: 'A URL that receives signed event notifications (Standard Webhooks).' })
export class WebhookEndpointObject {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [String], { description: 'Event types this endpoint receives, e.g. order.fulfilled; ["*"] for all the caller may see.' })
  eventTypes!: string[];

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('WebhookEndpointWithSecret')
export class WebhookEndpointWithSecretObject {
  @Field(() => WebhookEndpointObject)
  endpoint!: WebhookEndpointObject;

  @Field(() => String, { description: 'The signing secret, whsec_ followed by base64 of 24 to 64 random bytes; shown this once.' })
  secret!: string;
}

@ObjectType('WebhookDelivery', { description: 'One event sent to one endpoint, with its attempts so far.' })
export class WebhookDeliveryObject {
  @Field(() => ID)
  id!: string;

  /** Resolved by WebhookDeliveryResolver from endpointId. */
  @Field(() => WebhookEndpointObject)
  endpoint?: WebhookEndpointObject;

  endpointId!: string;

  @Field(() => ID, { description: 'The event id, sent as the webhook-id header; the same on every attempt and on a redelivery.' })
  eventId!: string;

  @Field(() => String)
  eventType!: string;

  @Field(() => WebhookDeliveryStatusEnum)
  status!: WebhookDeliveryStatusEnum;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt; null if it got no response.' })
  lastResponseStatus!: number | null;

  @Field(() => Date, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null once SUCCEEDED or FAILED.' })
  nextAttemptAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('WebhookDeliveryEdge')
export class WebhookDeliveryEdgeObject {
  @Field(() => WebhookDeliveryObject)
  node!: WebhookDeliveryObject;

  @Field(() => String)
  cursor!: string;
}

@ObjectType('WebhookDeliveryConnection')
export class WebhookDeliveryConnectionObject {
  @Field(() => [WebhookDeliveryEdgeObject])
  edges!: WebhookDeliveryEdgeObject[];

  @Field(() => PageInfoObject)
  pageInfo!: PageInfoObject;

  @Field(() => Int)
  totalCount!: number;
}

@InputType('WebhookEndpointInput')
export class WebhookEndpointInput {
  @Field(() => String)
  url!: string;

  @Field(() => [String])
  eventTypes!: string[];

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('WebhookEndpointUpdateInput')
export class WebhookEndpointUpdateInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [String], { nullable: true })
  eventTypes?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

export function toEndpointObject(e: WebhookEndpointRow): WebhookEndpointObject {
  return { id: e.id, url: e.url, eventTypes: e.eventTypes, enabled: e.enabled, description: e.description, createdAt: e.createdAt };
}

export function toDeliveryObject(d: WebhookDeliveryRow): WebhookDeliveryObject {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status as WebhookDeliveryStatusEnum,
    attempts: d.attempts,
    lastResponseStatus: d.lastResponseStatus,
    lastAttemptAt: d.lastAttemptAt,
    nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt : null,
    createdAt: d.createdAt,
  };
}
