import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { Caller } from '@tandem/auth';
import { Clock, badInput, forbidden, isUuid, normalizeCategory, normalizeRegion, notFound, requireIntInRange } from '@tandem/common';
import { parseMoney } from '@tandem/money';
import { TransactionRunner, isUniqueViolation } from '@tandem/persistence';
import { findMember } from '../member/member.queries';
import { CapabilityEntity } from './capability.entity';

const INT_MAX = 2_147_483_647;
export const MAX_REGIONS = 500;

export interface CapabilityFields {
  category: string;
  regions: readonly string[];
  dailyCapacity: number;
  leadTimeHours: number;
  unitPrice: { amount: string; currency: string };
}

export interface NewCapability extends CapabilityFields {
  supplierId: string;
}

/** Absent or null: left as it is. */
export type CapabilityChange = { [K in keyof CapabilityFields]?: CapabilityFields[K] | null };

type CleanCapability = Pick<CapabilityEntity, 'category' | 'regions' | 'dailyCapacity' | 'leadTimeHours' | 'unitPriceMinor' | 'currency'>;

/**
 * Validates and normalises the given fields; throws BAD_USER_INPUT.
 * Codes follow docs/api.md, "Input values": categories are trimmed and lower-cased,
 * regions trimmed and upper-cased (so " us-ny " and "US-NY" are one region),
 * both 1 to 64 of letters, digits, '-' and '_'. Regions: a non-empty set, kept
 * in the order given with duplicates dropped. The price is exact, positive, in
 * any ISO 4217 currency (it may differ from the network's).
 */
export function validateCapabilityChange(change: CapabilityChange): Partial<CleanCapability> {
  const clean: Partial<CleanCapability> = {};
  if (change.category != null) clean.category = normalizeCategory(change.category);
  if (change.regions != null) {
    const regions = [...new Set(change.regions.map((r) => normalizeRegion(r, 'regions')))];
    if (regions.length === 0) throw badInput('regions must name at least one region', 'regions');
    if (regions.length > MAX_REGIONS) throw badInput(`regions must name at most ${MAX_REGIONS} regions`, 'regions');
    clean.regions = regions;
  }
  if (change.dailyCapacity != null) clean.dailyCapacity = requireIntInRange(change.dailyCapacity, 'dailyCapacity', 1, INT_MAX);
  if (change.leadTimeHours != null) clean.leadTimeHours = requireIntInRange(change.leadTimeHours, 'leadTimeHours', 0, INT_MAX);
  if (change.unitPrice != null) {
    const price = parseMoney(change.unitPrice, { field: 'unitPrice', positive: true });
    clean.unitPriceMinor = price.minor;
    clean.currency = price.currency;
  }
  return clean;
}

const duplicateCategory = () => badInput('this supplier already has a capability in that category', 'category');

/** What suppliers offer. One capability per supplier and category, guarded by a unique constraint. */
@Injectable()
export class CapabilityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * The operator, or the supplier for itself: a member key naming another
   * member is FORBIDDEN whether or not that member exists (like a client
   * passing another member's clientId), so nothing is revealed.
   */
  async add(caller: Caller, input: NewCapability): Promise<CapabilityEntity> {
    if (caller.kind === 'ADMIN') throw forbidden();
    if (caller.kind === 'MEMBER' && caller.memberId !== input.supplierId) {
      throw forbidden('a supplier may add capabilities only for itself');
    }
    return this.tx.run(async (em) => {
      // FOR SHARE: the member keeps the SUPPLIER role until this commits.
      const supplier = await findMember(em, caller.networkId, input.supplierId, 'share');
      if (!supplier.roles.includes('SUPPLIER')) throw badInput('only suppliers offer capabilities', 'supplierId');
      const clean = validateCapabilityChange(input) as CleanCapability;
      const capability = em.create(CapabilityEntity, {
        id: randomUUID(),
        networkId: caller.networkId,
        supplierId: supplier.id,
        ...clean,
        createdAt: this.clock.now(),
      });
      try {
        await em.insert(CapabilityEntity, capability);
      } catch (e) {
        if (isUniqueViolation(e)) throw duplicateCategory();
        throw e;
      }
      return capability;
    });
  }

  async update(caller: Caller, id: string, change: CapabilityChange): Promise<CapabilityEntity> {
    return this.tx.run(async (em) => {
      const capability = await this.findReachable(em, caller, id);
      const clean = validateCapabilityChange(change);
      if (Object.keys(clean).length === 0) return capability;
      try {
        await em.update(CapabilityEntity, { id: capability.id }, clean);
      } catch (e) {
        if (isUniqueViolation(e)) throw duplicateCategory();
        throw e;
      }
      return { ...capability, ...clean };
    });
  }

  /** Deletes the capability; orders and offers that named it keep their own copy of the price. */
  async remove(caller: Caller, id: string): Promise<CapabilityEntity> {
    return this.tx.run(async (em) => {
      const capability = await this.findReachable(em, caller, id);
      await em.delete(CapabilityEntity, { id: capability.id });
      return capability;
    });
  }

  /** The capabilities of several suppliers, each supplier's in (created_at, id) order. */
  async forSuppliers(supplierIds: readonly string[]): Promise<CapabilityEntity[]> {
    const valid = supplierIds.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(CapabilityEntity).find({
      where: { supplierId: In(valid) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Locks a capability the caller may change: the operator's network's, or the supplier's own; otherwise NOT_FOUND. */
  private async findReachable(em: EntityManager, caller: Caller, id: string): Promise<CapabilityEntity> {
    if (caller.kind === 'ADMIN' || !isUuid(id)) throw notFound('Capability');
    const capability = await em.findOne(CapabilityEntity, {
      where: { id, networkId: caller.networkId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!capability || (caller.kind === 'MEMBER' && capability.supplierId !== caller.memberId)) throw notFound('Capability');
    return capability;
  }
}
