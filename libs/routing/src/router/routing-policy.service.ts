import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '@tandem/common';
import { TransactionRunner } from '@tandem/persistence';
import { RoutingPolicy, RoutingPolicyChange, applyRoutingPolicyChange, policyFrom } from './routing-policy';

/** Reads and sets a network's routing weights (networks.routing_policy). */
@Injectable()
export class RoutingPolicyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
  ) {}

  async forNetwork(networkId: string, em: EntityManager = this.dataSource.manager): Promise<RoutingPolicy> {
    const rows: { routing_policy: Record<string, unknown> }[] = await em.query(
      `SELECT routing_policy FROM networks WHERE id = $1`,
      [networkId],
    );
    if (!rows[0]) throw notFound('Network');
    return policyFrom(rows[0].routing_policy);
  }

  /** Merges the change; it applies to routing passes from now on. Invalid input changes nothing. */
  async update(networkId: string, change: RoutingPolicyChange): Promise<RoutingPolicy> {
    return this.tx.run(async (em) => {
      const rows: { routing_policy: Record<string, unknown> }[] = await em.query(
        `SELECT routing_policy FROM networks WHERE id = $1 FOR UPDATE`,
        [networkId],
      );
      if (!rows[0]) throw notFound('Network');
      const next = applyRoutingPolicyChange(policyFrom(rows[0].routing_policy), change);
      await em.query(`UPDATE networks SET routing_policy = $2 WHERE id = $1`, [networkId, JSON.stringify(next)]);
      return next;
    });
  }
}
