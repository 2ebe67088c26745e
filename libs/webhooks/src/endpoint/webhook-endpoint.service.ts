import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { NetworkCaller } from '@tandem/auth';
import { CONFIG, Page, TandemConfig, badInput, decodeCursor, isUuid, notFound, pageSize, toPage } from '@tandem/common';
import { EVENT_TYPES, OutboxService } from '@tandem/jobs';
import { TransactionRunner } from '@tandem/persistence';
import { WebhookDeliveryRepository, WebhookDeliveryRow, WebhookDeliveryStatus } from '../delivery/webhook-delivery.repository';
import { newWebhookSecret } from '../delivery/webhook-signature';
import { TargetRules, checkWebhookUrl } from '../delivery/webhook-target';
import { webhookBody } from '../event-reach';
import { EndpointOwner, WebhookEndpointRepository, WebhookEndpointRow } from './webhook-endpoint.repository';

/** Endpoints one owner may have (docs/api.md, "Webhooks and subscriptions"). */
export const MAX_ENDPOINTS_PER_OWNER = 20;
/** How long the secret a rotation replaces keeps signing. */
export const ROTATION_OVERLAP_SECONDS = 24 * 3600;
const MAX_DESCRIPTION_LENGTH = 1000;
const SUBSCRIBABLE = new Set<string>([...EVENT_TYPES, '*']);

export interface EndpointInput {
  url: string;
  eventTypes: string[];
  description?: string | null;
}

export interface EndpointChange {
  url?: string | null;
  eventTypes?: string[] | null;
  enabled?: boolean | null;
  description?: string | null;
}

/** An operator key owns the network's endpoints; a member key its member's. */
export function ownerOf(caller: NetworkCaller): EndpointOwner {
  return { networkId: caller.networkId, memberId: caller.kind === 'MEMBER' ? caller.memberId : null };
}

function checkEventTypes(types: readonly string[]): string[] {
  if (!Array.isArray(types) || types.length === 0) throw badInput('eventTypes must name at least one event type, or "*"', 'eventTypes');
  const unknown = types.filter((t) => !SUBSCRIBABLE.has(t));
  if (unknown.length > 0) throw badInput(`unknown event type ${JSON.stringify(unknown[0])}`, 'eventTypes');
  return [...new Set(types)];
}

function checkDescription(description: string | null | undefined): string | null {
  if (description === null || description === undefined) return null;
  if ([...description].length > MAX_DESCRIPTION_LENGTH) throw badInput(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters`, 'description');
  return description;
}

/** Endpoints, their secrets and their delivery logs, each reachable by its owner alone (NOT_FOUND for anyone else). */
@Injectable()
export class WebhookEndpointService {
  private readonly rules: TargetRules;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxService,
    @Inject(CONFIG) config: TandemConfig,
  ) {
    this.rules = { production: config.production, allowPrivate: config.webhookAllowPrivate };
  }

  list(caller: NetworkCaller): Promise<WebhookEndpointRow[]> {
    return WebhookEndpointRepository.ofOwner(this.dataSource.manager, ownerOf(caller));
  }

  /** The caller's endpoint, or NOT_FOUND. */
  async get(caller: NetworkCaller, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<WebhookEndpointRow> {
    const endpoint = isUuid(id) ? await WebhookEndpointRepository.ofOwnerById(em, ownerOf(caller), id, lock) : undefined;
    if (!endpoint) throw notFound('WebhookEndpoint');
    return endpoint;
  }

  async create(caller: NetworkCaller, input: EndpointInput): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
    const eventTypes = checkEventTypes(input.eventTypes);
    const description = checkDescription(input.description);
    const url = await checkWebhookUrl(input.url, this.rules);
    const owner = ownerOf(caller);
    return this.tx.run(async (em) => {
      await WebhookEndpointRepository.lockOwner(em, owner);
      if ((await WebhookEndpointRepository.countOfOwner(em, owner)) >= MAX_ENDPOINTS_PER_OWNER) {
        throw badInput(`at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints per owner`);
      }
      const secret = newWebhookSecret();
      const endpoint = await WebhookEndpointRepository.insert(em, { id: randomUUID(), ...owner, url, eventTypes, enabled: true, description, secret });
      return { endpoint, secret };
    });
  }

  async update(caller: NetworkCaller, id: string, change: EndpointChange): Promise<WebhookEndpointRow> {
    await this.get(caller, id);
    const eventTypes = change.eventTypes === undefined || change.eventTypes === null ? undefined : checkEventTypes(change.eventTypes);
    const description = change.description === undefined ? undefined : checkDescription(change.description);
    const url = change.url === undefined || change.url === null ? undefined : await checkWebhookUrl(change.url, this.rules);
    return this.tx.run(async (em) => {
      const current = await this.get(caller, id, em, true);
      return WebhookEndpointRepository.update(em, id, {
        url: url ?? current.url,
        eventTypes: eventTypes ?? current.eventTypes,
        enabled: change.enabled ?? current.enabled,
        description: description === undefined ? current.description : description,
      });
    });
  }

  /** Deletes the endpoint and its deliveries: pending ones are dropped (their attempt jobs find nothing). */
  async delete(caller: NetworkCaller, id: string): Promise<boolean> {
    return this.tx.run(async (em) => {
      await this.get(caller, id, em, true);
      return (await WebhookEndpointRepository.delete(em, id)) === 1;
    });
  }

  async rotateSecret(caller: NetworkCaller, id: string): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
    return this.tx.run(async (em) => {
      await this.get(caller, id, em, true);
      const secret = newWebhookSecret();
      return { endpoint: await WebhookEndpointRepository.rotate(em, id, secret, ROTATION_OVERLAP_SECONDS), secret };
    });
  }

  /** The endpoint's deliveries, newest first. */
  async deliveries(
    caller: NetworkCaller,
    endpointId: string,
    filter: { status?: WebhookDeliveryStatus | null; first?: number | null; after?: string | null },
  ): Promise<Page<WebhookDeliveryRow>> {
    const endpoint = await this.get(caller, endpointId);
    const size = pageSize(filter.first);
    const after = filter.after ? decodeCursor(filter.after) : null;
    if (after && !isUuid(after.id)) throw badInput('after is not a cursor from this list', 'after');
    const em = this.dataSource.manager;
    const status = filter.status ?? null;
    const [rows, totalCount] = await Promise.all([
      WebhookDeliveryRepository.page(em, endpoint.id, status, after, size + 1),
      WebhookDeliveryRepository.count(em, endpoint.id, status),
    ]);
    return toPage(rows, size, totalCount, after);
  }

  /** The caller's delivery (through its endpoint), or NOT_FOUND. */
  private async delivery(caller: NetworkCaller, deliveryId: string, em: EntityManager): Promise<WebhookDeliveryRow> {
    const delivery = isUuid(deliveryId) ? await WebhookDeliveryRepository.byId(em, deliveryId) : undefined;
    if (!delivery) throw notFound('WebhookDelivery');
    const owned = await WebhookEndpointRepository.ofOwnerById(em, ownerOf(caller), delivery.endpointId);
    if (!owned) throw notFound('WebhookDelivery');
    return delivery;
  }

  /** Sends the delivery's event again now, with the same event id, whatever its status: a new round of attempts. */
  async redeliver(caller: NetworkCaller, deliveryId: string): Promise<WebhookDeliveryRow> {
    return this.tx.run(async (em) => {
      await this.delivery(caller, deliveryId, em);
      const restarted = (await WebhookDeliveryRepository.restart(em, deliveryId)) as WebhookDeliveryRow;
      await this.outbox.enqueue(em, 'deliver-webhook', { deliveryId, attempt: restarted.attempts + 1 });
      return restarted;
    });
  }

  /** A webhook.test event to this endpoint alone, sent now. */
  async sendTest(caller: NetworkCaller, endpointId: string): Promise<WebhookDeliveryRow> {
    return this.tx.run(async (em) => {
      const endpoint = await this.get(caller, endpointId, em);
      const [{ now }] = (await em.query(`SELECT clock_timestamp() AS now`)) as { now: Date }[];
      const eventId = randomUUID();
      const body = webhookBody({ type: 'webhook.test', occurredAt: now.toISOString(), data: { endpointId: endpoint.id } });
      const [made] = await WebhookDeliveryRepository.insertNew(em, [{ id: randomUUID(), endpointId: endpoint.id, eventId, eventType: 'webhook.test', body }]);
      await this.outbox.enqueue(em, 'deliver-webhook', { deliveryId: made.id, attempt: 1 });
      return (await WebhookDeliveryRepository.byId(em, made.id)) as WebhookDeliveryRow;
    });
  }
}
