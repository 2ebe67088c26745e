import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badInput, notFound } from '@tandem/common';
import { parseMoney } from '@tandem/money';

/**
 * A member's declared cost of winning a customer elsewhere (members.acquisition_baseline_minor),
 * shown beside what the hub costs it per order.
 */
@Injectable()
export class AcquisitionBaselineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Sets it in the network's currency; zero is allowed, a negative amount or another currency is BAD_USER_INPUT. */
  async set(networkId: string, memberId: string, amount: { amount: string; currency: string }): Promise<void> {
    const value = parseMoney(amount, { field: 'amount' });
    const [network]: { currency: string }[] = await this.dataSource.query(`SELECT currency FROM networks WHERE id = $1`, [networkId]);
    if (!network) throw notFound('Network');
    if (value.currency !== network.currency) {
      throw badInput(`amount must be in the network's currency, ${network.currency}`, 'amount.currency');
    }
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [, updated]: [unknown[], number] = await this.dataSource.query(
      `UPDATE members SET acquisition_baseline_minor = $1 WHERE id = $2 AND network_id = $3`,
      [value.minor.toString(), memberId, networkId],
    );
    if (updated === 0) throw notFound('Member');
  }
}
