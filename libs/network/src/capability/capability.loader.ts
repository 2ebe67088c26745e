import { Injectable } from '@nestjs/common';
import { RequestLoader } from '../shared/request.loader';
import { CapabilityObject, toCapabilityObject } from './capability.object';
import { CapabilityService } from './capability.service';

/** Member.capabilities for every member of a response in one query. */
@Injectable()
export class CapabilityLoader extends RequestLoader<string, CapabilityObject[]> {
  constructor(private readonly capabilities: CapabilityService) {
    super();
  }

  forSupplier(ctx: object, supplierId: string): Promise<CapabilityObject[]> {
    return this.loader(ctx).load(supplierId);
  }

  protected async batch(supplierIds: readonly string[]): Promise<CapabilityObject[][]> {
    const bySupplier = new Map<string, CapabilityObject[]>(supplierIds.map((id) => [id, []]));
    for (const c of await this.capabilities.forSuppliers(supplierIds)) bySupplier.get(c.supplierId)?.push(toCapabilityObject(c));
    return supplierIds.map((id) => bySupplier.get(id) ?? []);
  }
}
