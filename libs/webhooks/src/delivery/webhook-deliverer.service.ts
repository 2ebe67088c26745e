import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Agent, fetch } from 'undici';
import { CONFIG, TandemConfig } from '@tandem/common';
import { OutboxService } from '@tandem/jobs';
import { TransactionRunner } from '@tandem/persistence';
import { afterAttempt } from './retry-schedule';
import { WebhookConnectionGate } from './webhook-connection-gate';
import { AttemptTarget, WebhookDeliveryRepository, WebhookDeliveryRow } from './webhook-delivery.repository';
import { readOldestPendingAgeFrom, webhookAttemptDuration, webhookAttempts } from './webhook-metrics';
import { signWebhook } from './webhook-signature';
import { TargetRules, assertLiteralTargetAllowed, deliveryAgent, refusalOf } from './webhook-target';

/** A receiver has this long to answer (docs/api.md, "Webhooks and subscriptions"). */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/**
 * Attempts to one endpoint this process makes at once: a slow or dead receiver
 * holds at most this many of the queue's slots (a quarter of them,
 * apps/worker's concurrency.ts), and the others keep serving every other
 * endpoint. An attempt over the limit is put back a little later.
 */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 8;
const BUSY_RETRY_MS = 1_000;

export type AttemptResult = 'skipped' | 'deferred' | 'succeeded' | 'retrying' | 'failed' | 'refused';

/** What one attempt got: the receiver's HTTP status (null when none came), or why the target was refused. */
interface Sent {
  responseStatus: number | null;
  refused: string | null;
}

/**
 * Job 'deliver-webhook': one attempt of one delivery. The database is read
 * before and written after the request, each through the webhooks' connection
 * gate, and never held while the receiver is waited on: one statement to read
 * the delivery and its endpoint, one to record a final outcome; a retry is
 * scheduled through the outbox in the transaction that records the attempt,
 * so a crash loses neither. A job that runs again (a stalled worker) finds its
 * attempt recorded and does nothing.
 */
@Injectable()
export class WebhookDeliverer implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(WebhookDeliverer.name);
  private readonly rules: TargetRules;
  private readonly agent: Agent;
  private readonly inFlight = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly gate: WebhookConnectionGate,
    @Inject(CONFIG) private readonly config: TandemConfig,
  ) {
    this.rules = { production: config.production, allowPrivate: config.webhookAllowPrivate };
    this.agent = deliveryAgent(this.rules);
  }

  onModuleInit(): void {
    readOldestPendingAgeFrom(() => WebhookDeliveryRepository.oldestPendingAgeSeconds(this.dataSource.manager));
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  async attempt(job: { deliveryId: string; attempt: number }): Promise<AttemptResult> {
    const found = await this.gate.run(() => WebhookDeliveryRepository.nextAttempt(this.dataSource.manager, job.deliveryId, job.attempt));
    if (!found) return 'skipped';
    const { delivery, target } = found;
    const endpointId = target.endpointId;
    if ((this.inFlight.get(endpointId) ?? 0) >= MAX_IN_FLIGHT_PER_ENDPOINT) {
      // One statement, committed on its own: the job is put back, nothing else changes.
      await this.gate.run(() => this.outbox.enqueue(this.dataSource.manager, 'deliver-webhook', job, { runAt: new Date(Date.now() + BUSY_RETRY_MS) }));
      return 'deferred';
    }
    this.inFlight.set(endpointId, (this.inFlight.get(endpointId) ?? 0) + 1);
    let sent: Sent;
    try {
      sent = await this.post(target, delivery);
    } finally {
      const left = (this.inFlight.get(endpointId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(endpointId, left);
      else this.inFlight.delete(endpointId);
    }
    const { responseStatus, refused } = sent;
    // A refused target is not retried: each retry would be refused the same way.
    const next = refused
      ? { status: 'FAILED' as const, retryInSeconds: null }
      : afterAttempt(job.attempt, delivery.roundStart, responseStatus, this.config.webhookRetrySeconds);
    const outcome = { attempt: job.attempt, responseStatus, ...next };
    const recorded = await this.gate.run(() =>
      next.retryInSeconds === null
        ? // A final outcome schedules nothing: its one UPDATE commits alone.
          WebhookDeliveryRepository.recordAttempt(this.dataSource.manager, delivery.id, outcome)
        : this.tx.run(async (em) => {
            const made = await WebhookDeliveryRepository.recordAttempt(em, delivery.id, outcome);
            if (made) {
              const runAt = new Date(Date.now() + (next.retryInSeconds as number) * 1000);
              await this.outbox.enqueue(em, 'deliver-webhook', { deliveryId: delivery.id, attempt: job.attempt + 1 }, { runAt });
            }
            return made;
          }),
    );
    if (!recorded) return 'skipped';
    if (refused) {
      this.log.warn(
        `delivery ${delivery.id} to endpoint ${endpointId} refused, FAILED without retries: ${refused} (TANDEM_WEBHOOK_ALLOW_PRIVATE=true allows private targets)`,
      );
    }
    const result = refused ? 'refused' : next.status === 'SUCCEEDED' ? 'succeeded' : next.status === 'FAILED' ? 'failed' : 'retrying';
    webhookAttempts.inc({ outcome: result });
    return result;
  }

  /** Sends one attempt: the receiver's HTTP status, null when none came (refused connection, timeout), or the target's refusal. */
  private async post(target: AttemptTarget, delivery: WebhookDeliveryRow): Promise<Sent> {
    const secrets = [target.secret];
    if (target.previousSecret && target.previousSecretUntil && target.previousSecretUntil.getTime() > Date.now()) secrets.push(target.previousSecret);
    const headers = signWebhook(delivery.eventId, Math.floor(Date.now() / 1000), delivery.body, secrets);
    const stop = webhookAttemptDuration.startTimer();
    try {
      const url = new URL(target.url);
      assertLiteralTargetAllowed(url, this.rules);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Tandem-Webhooks/1', ...headers },
        body: delivery.body,
        redirect: 'manual',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => undefined);
      return { responseStatus: res.status, refused: null };
    } catch (e) {
      const refused = refusalOf(e);
      if (!refused) this.log.debug(`delivery ${delivery.id} to endpoint ${target.endpointId}: ${(e as Error).message}`);
      return { responseStatus: null, refused };
    } finally {
      stop();
    }
  }
}
