import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, VETTING_STATUSES, VettingStatus, badInput, requireText } from '@tandem/common';
import { TransactionRunner } from '@tandem/persistence';
import { MemberEntity } from '../member/member.entity';
import { findMember } from '../member/member.queries';
import { SupplierStatusListeners } from './supplier-status.listeners';
import { VettingEventEntity } from './vetting-event.entity';

export const MAX_NOTE_LENGTH = 2000;

export interface VettingChange {
  networkId: string;
  memberId: string;
  from: VettingStatus | null;
  to: VettingStatus;
  note: string | null;
  /** actorLabel() of the caller. */
  actor: string;
}

/** Suppliers' vetting: any status may move to any other, and every move is kept. */
@Injectable()
export class VettingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly listeners: SupplierStatusListeners,
    private readonly clock: Clock,
  ) {}

  /**
   * Moves a supplier to `status`. The row is locked, so concurrent changes queue
   * up and each event's `from` is the status it really replaced. Setting the
   * status it already has changes nothing (a retried call is harmless).
   */
  async setStatus(networkId: string, actor: string, supplierId: string, status: VettingStatus, note?: string | null): Promise<MemberEntity> {
    return this.tx.run(async (em) => {
      const member = await findMember(em, networkId, supplierId, 'update');
      if (!member.roles.includes('SUPPLIER')) throw badInput('only suppliers can be vetted', 'supplierId');
      if (!VETTING_STATUSES.includes(status)) throw badInput('unknown vetting status', 'status');
      const cleanNote = note === null || note === undefined ? null : requireText(note, 'note', MAX_NOTE_LENGTH, 0);
      if (member.vettingStatus === status) return member;
      await em.update(MemberEntity, { id: member.id }, { vettingStatus: status });
      await this.record(em, { networkId, memberId: member.id, from: member.vettingStatus, to: status, note: cleanNote, actor });
      await this.listeners.notify(em, member.id, status);
      return { ...member, vettingStatus: status };
    });
  }

  /** Appends one event to a supplier's history (in the caller's transaction). */
  async record(em: EntityManager, change: VettingChange): Promise<void> {
    await em.insert(VettingEventEntity, {
      networkId: change.networkId,
      memberId: change.memberId,
      fromStatus: change.from,
      toStatus: change.to,
      note: change.note,
      actor: change.actor,
      createdAt: this.clock.now(),
    });
  }

  /** Every vetting change of a member (also from times it was a supplier before), oldest first. */
  async history(networkId: string, memberId: string): Promise<VettingEventEntity[]> {
    await findMember(this.dataSource.manager, networkId, memberId);
    return this.dataSource.getRepository(VettingEventEntity).find({
      where: { networkId, memberId },
      order: { id: 'ASC' },
    });
  }
}
