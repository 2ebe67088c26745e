import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NetworkService } from '@tandem/network';
import { TransactionRunner } from '@tandem/persistence';
import { RoutingPolicy, RoutingPolicyChange, applyRoutingPolicyChange, policyFrom } from './routing-policy';
import { RoutingPolicyRepository } from './routing-policy.repository';

/** Reads and sets a network's routing weights (routing_policies; a network that never set them has the defaults). */
@Injectable()
export class RoutingPolicyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly networks: NetworkService,
  ) {}

  async forNetwork(networkId: string, em: EntityManager = this.dataSource.manager): Promise<RoutingPolicy> {
    const stored = await RoutingPolicyRepository.find(em, networkId);
    // No row: the defaults, for a network that exists (NOT_FOUND otherwise).
    if (!stored) await this.networks.get(networkId, em);
    return policyFrom(stored);
  }

  /** Merges the change; it applies to routing passes from now on. Invalid input changes nothing. */
  async update(networkId: string, change: RoutingPolicyChange): Promise<RoutingPolicy> {
    return this.tx.run(async (em) => {
      await this.networks.get(networkId, em);
      const next = applyRoutingPolicyChange(policyFrom(await RoutingPolicyRepository.lock(em, networkId)), change);
      await RoutingPolicyRepository.save(em, networkId, next);
      return next;
    });
  }
}
