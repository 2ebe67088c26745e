import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { VettingStatus } from '@tandem/common';

/**
 * Reacts to a supplier's new status inside the transaction that changed it.
 * `status` is the new vetting status, or null when the member lost the SUPPLIER role.
 */
export type SupplierStatusListener = (em: EntityManager, supplierId: string, status: VettingStatus | null) => Promise<void>;

/**
 * The hook through which other domains follow vetting without network importing
 * them (routing withdraws a suspended or revoked supplier's open offers here).
 * Listeners run in the changing transaction, in registration order: a listener
 * that throws rolls the whole change back.
 */
@Injectable()
export class SupplierStatusListeners {
  private readonly listeners: SupplierStatusListener[] = [];

  /** Typically called from a module's onModuleInit. */
  register(listener: SupplierStatusListener): void {
    this.listeners.push(listener);
  }

  async notify(em: EntityManager, supplierId: string, status: VettingStatus | null): Promise<void> {
    for (const listener of this.listeners) await listener(em, supplierId, status);
  }
}
