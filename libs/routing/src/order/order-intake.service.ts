import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NetworkCaller, actorLabel } from '@tandem/auth';
import { Clock, badInput, conflict, forbidden, isUuid, notFound } from '@tandem/common';
import { OutboxJob, OutboxService, OwnedOutboxRow } from '@tandem/jobs';
import { isTransientDatabaseError } from '@tandem/persistence';
import { MemberFactsRepository } from './member-facts.repository';
import { OrderEntity } from './order.entity';
import { OrderRepository, PlacedOrderRow } from './order.repository';
import { orderEventJobs } from './order-history';
import { RawOrderInput, normalizeOrderInput, orderFingerprint } from './order-intake';

export interface PlaceOrderInput extends RawOrderInput {
  clientId?: string | null;
}

/** An order ready to store, with its history actor and its outbox rows. */
interface Placement {
  row: PlacedOrderRow;
  actor: string;
  jobs: OwnedOutboxRow[];
}

/** Orders whose requests reach intake in the same turn of the event loop are stored together, at most this many. */
export const MAX_PLACEMENT_BATCH = 64;

/**
 * placeOrder: validates, then stores the order in ROUTING with its placed
 * event, its published event and its routing job in one statement, which
 * commits on its own (OrderRepository.placedStatement, placedBatchStatement):
 * one round trip, where a transaction of the same writes takes four. Orders
 * placed in the same turn of the event loop share that statement (DataLoader
 * gathers them until setImmediate, so an idle hub waits for nothing): under
 * load one round trip and one commit serve several requests. Idempotent per
 * (client, key), even for concurrent requests: the unique constraint decides
 * which request inserts.
 */
@Injectable()
export class OrderIntakeService {
  private readonly placements = new DataLoader<Placement, boolean>((batch) => this.store(batch), {
    cache: false,
    maxBatchSize: MAX_PLACEMENT_BATCH,
    batchScheduleFn: (run) => setImmediate(run),
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async place(caller: NetworkCaller, input: PlaceOrderInput): Promise<OrderEntity> {
    const now = this.clock.now();
    const em = this.dataSource.manager;
    const clientId = await this.clientFor(em, caller, input.clientId);
    const order = normalizeOrderInput(input, now);
    const fingerprint = orderFingerprint(order);
    const id = randomUUID();
    const networkId = caller.networkId;
    // Published with what intake knows of the order right after the change, at the order's own time.
    const reach = { status: 'ROUTING', clientId, supplierId: null, acceptedAt: null };
    const jobs: OutboxJob[] = [...orderEventJobs({ id, networkId }, 'placed', reach, now), { name: 'route-order', payload: { orderId: id } }];
    const row: PlacedOrderRow = {
      id,
      networkId,
      clientId,
      category: order.category,
      region: order.region,
      quantity: order.quantity,
      deliverBy: order.deliverBy,
      budgetMinor: order.budget.minor,
      currency: order.budget.currency,
      notes: order.notes,
      idempotencyKey: order.idempotencyKey,
      inputFingerprint: fingerprint,
      at: now,
    };
    if (await this.placements.load({ row, actor: actorLabel(caller), jobs: this.outbox.ownedJobs(id, jobs) })) return OrderRepository.placedEntity(row);
    // The key is taken (by a committed order: ON CONFLICT waited for any concurrent insert to finish).
    const existing = await em.findOneBy(OrderEntity, { clientId, idempotencyKey: order.idempotencyKey });
    if (!existing) throw new Error('idempotency key taken by an order that cannot be read');
    if (existing.inputFingerprint !== fingerprint) {
      throw conflict('this idempotencyKey was already used for an order with different input');
    }
    return existing;
  }

  /**
   * Stores a batch, answering for each order whether it was inserted. A key
   * twice in the batch (a client retrying before its first answer) goes in a
   * statement after the first, which then finds the key taken. When a
   * statement fails for one of its orders, its orders are stored one by one,
   * so a bad order fails only its own request; a transient failure fails them
   * all.
   */
  private async store(batch: readonly Placement[]): Promise<(boolean | Error)[]> {
    const outcomes = new Map<string, boolean | Error>();
    let left = batch;
    while (left.length > 0) {
      const keys = new Set<string>();
      const now: Placement[] = [];
      const later: Placement[] = [];
      for (const p of left) {
        const key = `${p.row.clientId} ${p.row.idempotencyKey}`;
        (keys.has(key) ? later : now).push(p);
        keys.add(key);
      }
      for (const [id, outcome] of await this.insert(now)) outcomes.set(id, outcome);
      left = later;
    }
    return batch.map((p) => outcomes.get(p.row.id) ?? false);
  }

  private async insert(batch: readonly Placement[]): Promise<Map<string, boolean | Error>> {
    const write = async (part: readonly Placement[]): Promise<[string, boolean | Error][]> => {
      const rows = await this.outbox.enqueueWithChanges<{ id: string }>(
        this.dataSource.manager,
        part.length === 1 ? OrderRepository.placedStatement(part[0].row, part[0].actor) : OrderRepository.placedBatchStatement(part),
        part.flatMap((p) => p.jobs),
      );
      const inserted = new Set(rows.map((r) => r.id));
      return part.map((p) => [p.row.id, inserted.has(p.row.id)]);
    };
    try {
      return new Map(await write(batch));
    } catch (e) {
      // A timeout, a lost connection, a deadlock: no order of the batch is to blame, and storing them one by one
      // would multiply the load on a database that is already struggling. Each request gets the error.
      if (batch.length === 1 || isTransientDatabaseError(e)) return new Map(batch.map((p) => [p.row.id, e as Error]));
      const alone = await Promise.all(batch.map((p) => write([p]).catch((err: Error): [string, Error][] => [[p.row.id, err]])));
      return new Map(alone.flat());
    }
  }

  /**
   * Whose order it is. An operator names a client of its network; a client key
   * places its own orders and may not name anyone else (FORBIDDEN).
   */
  private async clientFor(em: EntityManager, caller: NetworkCaller, clientId: string | null | undefined): Promise<string> {
    if (caller.kind === 'MEMBER') {
      if (clientId !== null && clientId !== undefined && clientId !== caller.memberId) {
        throw forbidden('a client key places orders for its own member only');
      }
      if (!caller.roles.includes('CLIENT')) throw forbidden('only a client may place orders');
      return caller.memberId;
    }
    if (clientId === null || clientId === undefined) throw badInput('clientId is required for an operator key', 'clientId');
    const roles = isUuid(clientId) ? await MemberFactsRepository.rolesIn(em, caller.networkId, clientId) : null;
    if (!roles) throw notFound('Client');
    if (!roles.includes('CLIENT')) throw badInput('that member is not a client', 'clientId');
    return clientId;
  }
}
