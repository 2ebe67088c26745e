import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '@tandem/common';
import { HealthSettings, HealthSettingsChange, healthSettingsOf, validateHealthSettingsChange } from './health-settings';

/** Reads and changes the health settings kept in networks.settings. */
@Injectable()
export class HealthSettingsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(networkId: string): Promise<HealthSettings> {
    const rows: { settings: Record<string, unknown> }[] = await this.dataSource.query(`SELECT settings FROM networks WHERE id = $1`, [networkId]);
    if (!rows[0]) throw notFound('Network');
    return healthSettingsOf(rows[0].settings);
  }

  /** Merges the change in one statement, so concurrent changes of other settings are kept. */
  async update(networkId: string, change: HealthSettingsChange): Promise<HealthSettings> {
    const patch = validateHealthSettingsChange(change);
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows]: [{ settings: Record<string, unknown> }[], number] = await this.dataSource.query(
      `UPDATE networks SET settings = settings || $2::jsonb WHERE id = $1 RETURNING settings`,
      [networkId, JSON.stringify(patch)],
    );
    if (!rows[0]) throw notFound('Network');
    return healthSettingsOf(rows[0].settings);
  }
}
