import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, isUuid, notFound } from '@tandem/common';
import { TransactionRunner, selectRowsPrepared } from '@tandem/persistence';
import { MemberEntity } from '../member/member.entity';
import { findMember } from '../member/member.queries';
import { FeeSchedule, FeeScheduleChange, applyFeeScheduleChange, validateFeeScheduleChange } from './fee-schedule';
import { FeeTermChangeEntity } from './fee-term-change.entity';

export const FEE_TERM_FIELDS: readonly (keyof FeeSchedule)[] = [
  'clientFeeBps',
  'supplierFeeBps',
  'partnerShareBps',
  'partnerShareMonths',
  'offerTimeoutSeconds',
];

interface TermsRow {
  id: string;
  term_overrides: Partial<FeeSchedule> | null;
  client_fee_bps: number;
  supplier_fee_bps: number;
  partner_share_bps: number;
  partner_share_months: number;
  offer_timeout_seconds: number;
}

function termsOf(row: TermsRow): FeeSchedule {
  const network: FeeSchedule = {
    clientFeeBps: row.client_fee_bps,
    supplierFeeBps: row.supplier_fee_bps,
    partnerShareBps: row.partner_share_bps,
    partnerShareMonths: row.partner_share_months,
    offerTimeoutSeconds: row.offer_timeout_seconds,
  };
  return applyFeeScheduleChange(network, pickOverrides(row.term_overrides));
}

/** Only the schedule's own integer fields, whatever else the JSON holds. */
function pickOverrides(raw: Partial<FeeSchedule> | null): Partial<FeeSchedule> {
  const clean: Partial<FeeSchedule> = {};
  for (const key of FEE_TERM_FIELDS) {
    const v = raw?.[key];
    if (typeof v === 'number' && Number.isInteger(v)) clean[key] = v;
  }
  return clean;
}

const TERMS_SQL = `
  SELECT m.id, m.term_overrides, n.client_fee_bps, n.supplier_fee_bps, n.partner_share_bps,
         n.partner_share_months, n.offer_timeout_seconds
    FROM members m JOIN networks n ON n.id = m.network_id
   WHERE m.id = ANY($1::uuid[])`;

/**
 * A member's fee terms: the network's schedule with the member's own
 * overrides. Each change of the overrides is versioned in fee_term_changes.
 */
@Injectable()
export class TermsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * The terms in force for a member now, read with the caller's EntityManager
   * (so inside its transaction: routing freezes them on the order at acceptance).
   */
  async termsFor(em: EntityManager, memberId: string): Promise<FeeSchedule> {
    const terms = isUuid(memberId) ? (await this.termsForMany([memberId], em)).get(memberId) : undefined;
    if (!terms) throw notFound('Member');
    return terms;
  }

  /** Terms of several members in one query; unknown ids are left out. */
  async termsForMany(memberIds: readonly string[], em: EntityManager = this.dataSource.manager): Promise<Map<string, FeeSchedule>> {
    const ids = memberIds.filter(isUuid);
    if (ids.length === 0) return new Map();
    // On every offer's path: prepared, so each connection plans it once.
    const rows = await selectRowsPrepared<TermsRow>(em, TERMS_SQL, [ids]);
    return new Map(rows.map((r) => [r.id, termsOf(r)]));
  }

  /**
   * Merges the change into the member's overrides (absent or null: left as it
   * is), validated like the network's schedule, and records the overrides
   * after the change as a new version effective now. An empty change records nothing.
   */
  async setMemberTerms(networkId: string, memberId: string, change: FeeScheduleChange): Promise<MemberEntity> {
    return this.tx.run(async (em) => {
      // The row lock serialises concurrent merges: none is lost.
      const member = await findMember(em, networkId, memberId, 'update');
      const clean = validateFeeScheduleChange(change);
      if (Object.keys(clean).length === 0) return member;
      const termOverrides = { ...pickOverrides(member.termOverrides), ...clean };
      await em.update(MemberEntity, { id: member.id }, { termOverrides });
      await em.insert(FeeTermChangeEntity, { networkId, memberId: member.id, terms: termOverrides, effectiveAt: this.clock.now() });
      return { ...member, termOverrides };
    });
  }

  /**
   * Drops the member's own value of the given fields (every field when none is
   * named), so the network's schedule applies to them again from now on; recorded
   * as a new version like any change. Clearing what is not overridden records nothing.
   */
  async clearMemberTerms(networkId: string, memberId: string, fields?: readonly (keyof FeeSchedule)[] | null): Promise<MemberEntity> {
    return this.tx.run(async (em) => {
      const member = await findMember(em, networkId, memberId, 'update');
      const current = pickOverrides(member.termOverrides);
      const cleared = new Set(fields && fields.length > 0 ? fields : FEE_TERM_FIELDS);
      const termOverrides = Object.fromEntries(Object.entries(current).filter(([k]) => !cleared.has(k as keyof FeeSchedule)));
      if (Object.keys(termOverrides).length === Object.keys(current).length) return member;
      await em.update(MemberEntity, { id: member.id }, { termOverrides });
      await em.insert(FeeTermChangeEntity, { networkId, memberId: member.id, terms: termOverrides, effectiveAt: this.clock.now() });
      return { ...member, termOverrides };
    });
  }

  /** Every version of a member's overrides, oldest first. */
  async history(networkId: string, memberId: string): Promise<FeeTermChangeEntity[]> {
    await findMember(this.dataSource.manager, networkId, memberId);
    return this.dataSource.getRepository(FeeTermChangeEntity).find({
      where: { networkId, memberId },
      order: { effectiveAt: 'ASC', id: 'ASC' },
    });
  }
}
