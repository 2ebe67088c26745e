import { EntityManager } from 'typeorm';
import { isUuid, notFound } from '@tandem/common';
import { MemberEntity } from './member.entity';

export type RowLock = 'none' | 'share' | 'update';

/**
 * A member of the network, or NOT_FOUND (a non-UUID, an unknown id and another
 * network's member all look the same). `share` keeps the row from changing until
 * commit (e.g. a referrer stays a partner); `update` serialises writers of the row.
 */
export async function findMember(em: EntityManager, networkId: string, id: string, lock: RowLock = 'none'): Promise<MemberEntity> {
  if (!isUuid(id)) throw notFound('Member');
  const member = await em.findOne(MemberEntity, {
    where: { id, networkId },
    ...(lock === 'none' ? {} : { lock: { mode: lock === 'share' ? 'pessimistic_read' : 'pessimistic_write' } }),
  });
  if (!member) throw notFound('Member');
  return member;
}
