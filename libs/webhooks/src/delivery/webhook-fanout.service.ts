import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Caller } from '@tandem/auth';
import { isDomainError } from '@tandem/common';
import { DomainEvent, OutboxService } from '@tandem/jobs';
import { findMember } from '@tandem/network';
import { TransactionRunner } from '@tandem/persistence';
import { WebhookEndpointRepository, WebhookEndpointRow } from '../endpoint/webhook-endpoint.repository';
import { EventReach, isOrderEvent, webhookBody } from '../event-reach';
import { EVENTS_CHANNEL } from '../subscription/event-channel';
import { WebhookConnectionGate } from './webhook-connection-gate';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

/**
 * Job 'publish-event': one delivery per endpoint that subscribed to the event
 * and whose owner may see it, each with its first attempt, in one transaction
 * (a repeated job makes none twice) of one statement for the deliveries and
 * one for their jobs; order events are then announced to the API processes'
 * subscriptions (NOTIFY, after the commit). Every statement runs through the
 * webhooks' connection gate. The lookup of subscribed endpoints and the
 * announcement are each one statement for the fan-outs that reach them in the
 * same turn of the event loop (under load, the jobs waiting on the gate), not
 * one per event.
 */
@Injectable()
export class WebhookFanout {
  private readonly subscribers = new DataLoader<{ networkId: string; eventType: string }, WebhookEndpointRow[]>(
    (keys) => this.gate.run(() => WebhookEndpointRepository.subscribedToEach(this.dataSource.manager, keys)),
    { cache: false, batchScheduleFn: (run) => setImmediate(run) },
  );

  private readonly announcements = new DataLoader<string, null>(
    async (events) => {
      await this.gate.run(() => this.dataSource.query(`SELECT pg_notify($1, e) FROM unnest($2::text[]) AS e`, [EVENTS_CHANNEL, events]));
      return events.map(() => null);
    },
    { cache: false, batchScheduleFn: (run) => setImmediate(run) },
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly reach: EventReach,
    private readonly gate: WebhookConnectionGate,
  ) {}

  async publish(event: DomainEvent): Promise<{ deliveries: number }> {
    const endpoints = await this.subscribers.load({ networkId: event.networkId, eventType: event.type });
    // No receiver, nothing to write: no transaction (two round trips per event for every network without endpoints).
    const deliveries = endpoints.length === 0 ? 0 : await this.gate.run(() => this.deliverTo(event, endpoints));
    // After the commit, before the job completes: a NOTIFY inside the transaction would take the database-wide
    // notify lock through its commit (libs/jobs/src/outbox-doorbell.ts). A crash between the two retries the job,
    // which makes no delivery twice and announces the event then; subscriptions hear an event id once (EventStream).
    if (isOrderEvent(event.type)) await this.announcements.load(JSON.stringify(event));
    return { deliveries };
  }

  /**
   * The deliveries to the endpoints whose owner may see the event, and their
   * first attempts' jobs, in one transaction; how many it made (none twice for
   * a repeated job).
   */
  private async deliverTo(event: DomainEvent, endpoints: WebhookEndpointRow[]): Promise<number> {
    const receivers = await this.receiversOf(event, endpoints);
    if (receivers.length === 0) return 0;
    const body = webhookBody(event);
    return this.tx.run(async (em) => {
      const made = await WebhookDeliveryRepository.insertNew(
        em,
        receivers.map((e) => ({ id: randomUUID(), endpointId: e.id, eventId: event.id, eventType: event.type, body })),
      );
      await this.outbox.enqueueMany(
        em,
        'deliver-webhook',
        made.map((d) => ({ deliveryId: d.id, attempt: 1 })),
      );
      return made.length;
    });
  }

  /** The endpoints whose owner, as it is now, may see the event under the access table. */
  private async receiversOf(event: DomainEvent, endpoints: WebhookEndpointRow[]): Promise<WebhookEndpointRow[]> {
    const sees = await this.reach.audience(event);
    const callers = new Map<string, Caller | null>();
    const out: WebhookEndpointRow[] = [];
    for (const endpoint of endpoints) {
      const key = endpoint.memberId ?? '';
      if (!callers.has(key)) callers.set(key, await this.ownerAsCaller(this.dataSource.manager, endpoint));
      const caller = callers.get(key);
      if (caller && sees(caller)) out.push(endpoint);
    }
    return out;
  }

  /** The endpoint's owner as the API would see its key: the operator, or the member in the roles it holds now. */
  private async ownerAsCaller(em: EntityManager, endpoint: WebhookEndpointRow): Promise<Caller | null> {
    if (!endpoint.memberId) return { kind: 'OPERATOR', networkId: endpoint.networkId, keyId: '' };
    try {
      const member = await findMember(em, endpoint.networkId, endpoint.memberId);
      return { kind: 'MEMBER', networkId: endpoint.networkId, memberId: member.id, roles: member.roles, keyId: '' };
    } catch (e) {
      if (isDomainError(e)) return null;
      throw e;
    }
  }
}
