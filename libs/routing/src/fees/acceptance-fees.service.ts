import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TermsService } from '@tandem/network';
import { FeeBreakdown, ReferrerTerms, computeFees } from '@tandem/settlement';
import { MemberFactsRepository, OrderParty } from '../order/member-facts.repository';

export interface AcceptedOrder {
  clientId: string;
  supplierId: string;
  priceMinor: bigint;
  currency: string;
}

/**
 * The fee breakdown frozen on an order when its supplier accepts, from the terms
 * in force at that moment: the client fee from the client's terms, the supplier
 * fee from the supplier's, each partner share from its referring partner's.
 */
@Injectable()
export class AcceptanceFeesService {
  constructor(private readonly terms: TermsService) {}

  async feesFor(em: EntityManager, order: AcceptedOrder, acceptedAt: Date): Promise<FeeBreakdown> {
    // One after another: the queries share the transaction's single connection.
    const client = await MemberFactsRepository.party(em, order.clientId);
    const supplier = await MemberFactsRepository.party(em, order.supplierId);
    const clientTerms = await this.terms.termsFor(em, client.id);
    const supplierTerms = await this.terms.termsFor(em, supplier.id);
    const clientReferrer = await this.referrerOf(em, client);
    const supplierReferrer = await this.referrerOf(em, supplier);
    return computeFees({
      price: order.priceMinor,
      currency: order.currency,
      clientFeeBps: clientTerms.clientFeeBps,
      supplierFeeBps: supplierTerms.supplierFeeBps,
      clientReferrer,
      supplierReferrer,
      acceptedAt,
    });
  }

  private async referrerOf(em: EntityManager, referred: OrderParty): Promise<ReferrerTerms | null> {
    if (!referred.referredById) return null;
    const partner = await this.terms.termsFor(em, referred.referredById);
    return {
      partnerId: referred.referredById,
      referredId: referred.id,
      partnerShareBps: partner.partnerShareBps,
      partnerShareMonths: partner.partnerShareMonths,
      referredJoinedAt: referred.joinedAt,
    };
  }
}
