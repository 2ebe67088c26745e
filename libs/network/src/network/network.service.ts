import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKeyService } from '@tandem/auth';
import { Clock, notFound, requireName } from '@tandem/common';
import { normalizeCurrency } from '@tandem/money';
import { TransactionRunner } from '@tandem/persistence';
import { DEFAULT_FEE_SCHEDULE, FeeScheduleChange, applyFeeScheduleChange, validateFeeScheduleChange } from '../fee-terms/fee-schedule';
import { FeeTermChangeEntity } from '../fee-terms/fee-term-change.entity';
import { NetworkEntity, feeScheduleOf } from './network.entity';

export interface CreateNetworkInput {
  name: string;
  currency: string;
  feeSchedule?: FeeScheduleChange | null;
}

@Injectable()
export class NetworkService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly keys: ApiKeyService,
    private readonly clock: Clock,
  ) {}

  /** Creates a network and its first operator key (returned in clear text, once). */
  async create(input: CreateNetworkInput): Promise<{ network: NetworkEntity; operatorKey: string }> {
    const name = requireName(input.name);
    const currency = normalizeCurrency(input.currency, 'currency');
    const schedule = applyFeeScheduleChange(DEFAULT_FEE_SCHEDULE, validateFeeScheduleChange(input.feeSchedule));
    return this.tx.run(async (em) => {
      const network = em.create(NetworkEntity, {
        id: randomUUID(),
        name,
        currency,
        ...schedule,
        createdAt: this.clock.now(),
      });
      await em.insert(NetworkEntity, network);
      await this.recordScheduleChange(em, network);
      const { key } = await this.keys.issue(em, network.id, null);
      return { network, operatorKey: key };
    });
  }

  async get(id: string, em: EntityManager = this.dataSource.manager): Promise<NetworkEntity> {
    const network = await em.findOneBy(NetworkEntity, { id });
    if (!network) throw notFound('Network');
    return network;
  }

  /** Merges the change into the schedule; it applies to orders accepted from now on. */
  async updateFeeSchedule(networkId: string, change: FeeScheduleChange): Promise<NetworkEntity> {
    const clean = validateFeeScheduleChange(change);
    return this.tx.run(async (em) => {
      const network = await em.findOne(NetworkEntity, { where: { id: networkId }, lock: { mode: 'pessimistic_write' } });
      if (!network) throw notFound('Network');
      if (Object.keys(clean).length === 0) return network;
      Object.assign(network, clean);
      await em.update(NetworkEntity, { id: networkId }, clean);
      await this.recordScheduleChange(em, network);
      return network;
    });
  }

  /** Network-wide history of the fee schedule, oldest first. */
  async scheduleHistory(networkId: string): Promise<FeeTermChangeEntity[]> {
    return this.dataSource.getRepository(FeeTermChangeEntity).find({
      // IsNull: an undefined condition would be dropped and return members' changes too.
      where: { networkId, memberId: IsNull() },
      order: { effectiveAt: 'ASC', id: 'ASC' },
    });
  }

  private async recordScheduleChange(em: EntityManager, network: NetworkEntity): Promise<void> {
    await em.insert(FeeTermChangeEntity, {
      networkId: network.id,
      memberId: null,
      terms: feeScheduleOf(network),
      effectiveAt: this.clock.now(),
    });
  }
}
