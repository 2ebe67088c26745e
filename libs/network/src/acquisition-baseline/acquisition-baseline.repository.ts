import { EntityManager } from 'typeorm';
import { MemberEntity } from '../member/member.entity';

/** The SQL of members.acquisition_baseline_minor. */
export const AcquisitionBaselineRepository = {
  /** Sets it on a member of the network; false when there is no such member. */
  async set(em: EntityManager, networkId: string, memberId: string, minor: bigint): Promise<boolean> {
    const result = await em.update(MemberEntity, { id: memberId, networkId }, { acquisitionBaselineMinor: minor });
    return result.affected === 1;
  },
};
