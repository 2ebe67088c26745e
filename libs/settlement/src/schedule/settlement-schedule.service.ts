import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HOUR_MS, intSetting, parseSettingsChange } from '@tandem/common';
import { JobName, JobPayloads, QUEUES, QueueRegistry } from '@tandem/jobs';
import { NetworkService } from '@tandem/network';
import { SettlementScheduleRepository } from './settlement-schedule.repository';

/** A year: beyond that a schedule is a typo. */
export const MAX_INTERVAL_HOURS = 8760;
const RULES = { intervalHours: intSetting(0, MAX_INTERVAL_HOURS) };

const SCHEDULER_PREFIX = 'run-settlement-';
/** The job scheduler of one network's settlement runs on the ledger queue (no ':' in it: BullMQ reads those as legacy keys). */
export const settlementSchedulerId = (networkId: string) => `${SCHEDULER_PREFIX}${networkId}`;

/**
 * Scheduled settlement runs: the interval lives in settlement_schedules
 * (0 or no row: off) and is mirrored to a BullMQ job
 * scheduler per network. The database is the truth; sync() repairs Redis.
 */
@Injectable()
export class SettlementScheduleService {
  private readonly log = new Logger(SettlementScheduleService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    private readonly networks: NetworkService,
  ) {}

  async intervalHours(networkId: string): Promise<number> {
    const hours = await SettlementScheduleRepository.find(this.dataSource.manager, networkId);
    // No row: off, for a network that exists (NOT_FOUND otherwise).
    if (hours === null) await this.networks.get(networkId);
    return hours ?? 0;
  }

  /** Sets the interval (0 or null: off), then mirrors it to BullMQ; returns the interval in force. */
  async set(networkId: string, intervalHours: number | null | undefined): Promise<number> {
    const hours = parseSettingsChange(RULES, { intervalHours }).intervalHours ?? 0;
    await this.networks.get(networkId);
    await SettlementScheduleRepository.save(this.dataSource.manager, networkId, hours);
    try {
      await this.sync(networkId, hours);
    } catch (e) {
      // Committed already: the worker's schedule keeper brings Redis in line.
      this.log.error(`settlement schedule of ${networkId} not mirrored to the queue yet: ${(e as Error).message}`);
    }
    return hours;
  }

  /** Makes the network's job scheduler match the interval; leaves a matching one alone (keeps its next run). */
  async sync(networkId: string, hours?: number): Promise<void> {
    const interval = hours ?? (await this.intervalHours(networkId));
    const queue = this.queues.get(QUEUES.ledger);
    const id = settlementSchedulerId(networkId);
    const existing = await queue.getJobScheduler(id);
    if (interval <= 0) {
      if (existing) await queue.removeJobScheduler(id);
      return;
    }
    const every = interval * HOUR_MS;
    if (existing && Number(existing.every) === every) return;
    await queue.upsertJobScheduler(
      id,
      // The first run comes one interval from now, not at once.
      { every, startDate: new Date(Date.now() + every) },
      {
        name: 'run-settlement' satisfies JobName,
        data: { networkId } satisfies JobPayloads['run-settlement'],
        opts: { attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
      },
    );
  }

  /** Every network's scheduler as the database says; removes schedulers of networks that turned it off. */
  async syncAll(): Promise<void> {
    const rows = await SettlementScheduleRepository.scheduled(this.dataSource.manager);
    const wanted = new Set(rows.map((r) => settlementSchedulerId(r.networkId)));
    for (const r of rows) await this.sync(r.networkId, r.hours);
    const queue = this.queues.get(QUEUES.ledger);
    for (const s of await queue.getJobSchedulers(0, -1)) {
      const id = s.key;
      if (id?.startsWith(SCHEDULER_PREFIX) && !wanted.has(id)) await queue.removeJobScheduler(id);
    }
  }
}
