import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badInput, notFound } from '@tandem/common';
import { parseMoney } from '@tandem/money';
import { NetworkService } from '../network/network.service';
import { AcquisitionBaselineRepository } from './acquisition-baseline.repository';

/**
 * A member's declared cost of winning a customer elsewhere (members.acquisition_baseline_minor),
 * which health shows beside what the hub costs it per order (it reads it from the member_facts view).
 */
@Injectable()
export class AcquisitionBaselineService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly networks: NetworkService,
  ) {}

  /** Sets it in the network's currency; zero is allowed, a negative amount or another currency is BAD_USER_INPUT. */
  async set(networkId: string, memberId: string, amount: { amount: string; currency: string }): Promise<void> {
    const value = parseMoney(amount, { field: 'amount' });
    const network = await this.networks.get(networkId);
    if (value.currency !== network.currency) {
      throw badInput(`amount must be in the network's currency, ${network.currency}`, 'amount.currency');
    }
    if (!(await AcquisitionBaselineRepository.set(this.dataSource.manager, networkId, memberId, value.minor))) throw notFound('Member');
  }
}
