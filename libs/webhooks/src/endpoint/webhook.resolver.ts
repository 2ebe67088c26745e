import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, CurrentCaller, NetworkCaller } from '@tandem/auth';
import { ROLES } from '@tandem/common';
import { EVENT_TYPES } from '@tandem/jobs';
import { WebhookEndpointService } from './webhook-endpoint.service';
import {
  WebhookDeliveryConnectionObject,
  WebhookDeliveryObject,
  WebhookDeliveryStatusEnum,
  WebhookEndpointInput,
  WebhookEndpointObject,
  WebhookEndpointUpdateInput,
  WebhookEndpointWithSecretObject,
  toDeliveryObject,
  toEndpointObject,
} from './webhook.objects';

/** The event types published as things happen: every one but webhook.test, which is sent only on request. */
const PUBLISHED_EVENT_TYPES = EVENT_TYPES.filter((t) => t !== 'webhook.test');

/** An operator key manages the network's endpoints; a member key its own (docs/api.md, "Webhooks and subscriptions"). */
const ENDPOINT_OWNERS = ['OPERATOR', ...ROLES] as const;

@Resolver(() => WebhookEndpointObject)
export class WebhookEndpointResolver {
  constructor(private readonly endpoints: WebhookEndpointService) {}

  @Query(() => [WebhookEndpointObject], { description: "The caller's own endpoints (an operator's are the network's)." })
  @Allow(...ENDPOINT_OWNERS)
  async webhookEndpoints(@CurrentCaller() caller: NetworkCaller): Promise<WebhookEndpointObject[]> {
    return (await this.endpoints.list(caller)).map(toEndpointObject);
  }

  @Query(() => [String], {
    description: 'Every event type an endpoint may ask for besides "*", as things happen (beyond the contract; webhook.test is sent only by sendTestWebhook).',
  })
  @Allow(...ENDPOINT_OWNERS)
  webhookEventTypes(): readonly string[] {
    return PUBLISHED_EVENT_TYPES;
  }

  @Query(() => WebhookDeliveryConnectionObject, { description: 'Newest first.' })
  @Allow(...ENDPOINT_OWNERS)
  async webhookDeliveries(
    @CurrentCaller() caller: NetworkCaller,
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('status', { type: () => WebhookDeliveryStatusEnum, nullable: true }) status?: WebhookDeliveryStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<WebhookDeliveryConnectionObject> {
    const page = await this.endpoints.deliveries(caller, endpointId, { status, first, after });
    return { ...page, edges: page.edges.map((e) => ({ node: toDeliveryObject(e.node), cursor: e.cursor })) };
  }

  @Mutation(() => WebhookEndpointWithSecretObject, { description: 'Operator (events of the whole network) or a member key (events it may see).' })
  @Allow(...ENDPOINT_OWNERS)
  async createWebhookEndpoint(
    @CurrentCaller() caller: NetworkCaller,
    @Args('input', { type: () => WebhookEndpointInput }) input: WebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecretObject> {
    const made = await this.endpoints.create(caller, input);
    return { endpoint: toEndpointObject(made.endpoint), secret: made.secret };
  }

  @Mutation(() => WebhookEndpointObject, { description: "The endpoint's owner." })
  @Allow(...ENDPOINT_OWNERS)
  async updateWebhookEndpoint(
    @CurrentCaller() caller: NetworkCaller,
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => WebhookEndpointUpdateInput }) input: WebhookEndpointUpdateInput,
  ): Promise<WebhookEndpointObject> {
    return toEndpointObject(await this.endpoints.update(caller, id, input));
  }

  @Mutation(() => Boolean, { description: "The endpoint's owner. Pending deliveries to it are dropped." })
  @Allow(...ENDPOINT_OWNERS)
  deleteWebhookEndpoint(@CurrentCaller() caller: NetworkCaller, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.endpoints.delete(caller, id);
  }

  @Mutation(() => WebhookEndpointWithSecretObject, { description: "The endpoint's owner: a new secret; the old one keeps signing too for 24 hours." })
  @Allow(...ENDPOINT_OWNERS)
  async rotateWebhookSecret(@CurrentCaller() caller: NetworkCaller, @Args('id', { type: () => ID }) id: string): Promise<WebhookEndpointWithSecretObject> {
    const rotated = await this.endpoints.rotateSecret(caller, id);
    return { endpoint: toEndpointObject(rotated.endpoint), secret: rotated.secret };
  }

  @Mutation(() => WebhookDeliveryObject, { description: "The endpoint's owner: sends the delivery's event again now (same event id), whatever its status." })
  @Allow(...ENDPOINT_OWNERS)
  async redeliverWebhook(@CurrentCaller() caller: NetworkCaller, @Args('deliveryId', { type: () => ID }) deliveryId: string): Promise<WebhookDeliveryObject> {
    return toDeliveryObject(await this.endpoints.redeliver(caller, deliveryId));
  }

  @Mutation(() => WebhookDeliveryObject, { description: "The endpoint's owner: sends a webhook.test event now." })
  @Allow(...ENDPOINT_OWNERS)
  async sendTestWebhook(@CurrentCaller() caller: NetworkCaller, @Args('endpointId', { type: () => ID }) endpointId: string): Promise<WebhookDeliveryObject> {
    return toDeliveryObject(await this.endpoints.sendTest(caller, endpointId));
  }
}

/** WebhookDelivery.endpoint: the caller's own endpoint, read once per request. */
@Resolver(() => WebhookDeliveryObject)
export class WebhookDeliveryResolver {
  private readonly byRequest = new WeakMap<object, Map<string, Promise<WebhookEndpointObject>>>();

  constructor(private readonly endpoints: WebhookEndpointService) {}

  @ResolveField('endpoint', () => WebhookEndpointObject)
  endpoint(@Parent() delivery: WebhookDeliveryObject, @CurrentCaller() caller: NetworkCaller, @Context() ctx: object): Promise<WebhookEndpointObject> {
    const cache = this.byRequest.get(ctx) ?? new Map<string, Promise<WebhookEndpointObject>>();
    this.byRequest.set(ctx, cache);
    let found = cache.get(delivery.endpointId);
    if (!found) {
      found = this.endpoints.get(caller, delivery.endpointId).then(toEndpointObject);
      cache.set(delivery.endpointId, found);
    }
    return found;
  }
}
