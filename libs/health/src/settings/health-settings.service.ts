import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NetworkService } from '@tandem/network';
import { HealthSettings, HealthSettingsChange, healthSettingsOf, validateHealthSettingsChange } from './health-settings';
import { HealthSettingsRepository } from './health-settings.repository';

/** Reads and changes a network's health settings (health_settings; a network that never changed them has the defaults). */
@Injectable()
export class HealthSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly networks: NetworkService,
  ) {}

  async get(networkId: string, em: EntityManager = this.dataSource.manager): Promise<HealthSettings> {
    const stored = await HealthSettingsRepository.find(em, networkId);
    // No row: the defaults, for a network that exists (NOT_FOUND otherwise).
    if (!stored) await this.networks.get(networkId, em);
    return healthSettingsOf(stored);
  }

  /** Merges the change in one statement, so concurrent changes of other settings are kept. */
  async update(networkId: string, change: HealthSettingsChange): Promise<HealthSettings> {
    const patch = validateHealthSettingsChange(change);
    await this.networks.get(networkId);
    return healthSettingsOf(await HealthSettingsRepository.merge(this.dataSource.manager, networkId, patch));
  }
}
