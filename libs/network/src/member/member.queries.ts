import { EntityManager } from 'typeorm';
import { isUuid, notFound } from '@tandem/common';
import { entityRows, selectRow } from '@tandem/persistence';
import { MemberEntity } from './member.entity';

export type RowLock = 'none' | 'share' | 'update';

/**
 * A member of the network, or NOT_FOUND (a non-UUID, an unknown id and another
 * network's member all look the same). `share` keeps the row from changing until
 * commit (e.g. a referrer stays a partner); `update` serialises writers of the row.
 */
export async function findMember(em: EntityManager, networkId: string, id: string, lock: RowLock = 'none'): Promise<MemberEntity> {
  if (!isUuid(id)) throw notFound('Member');
  // Plain SQL: most requests look a member up here (a balance, a policy's reach, an order's client).
  const members = entityRows(em.connection, MemberEntity);
  const row = await selectRow<Record<string, unknown>>(
    em,
    `SELECT ${members.columns('m')} FROM members m WHERE m.id = $1 AND m.network_id = $2${lock === 'none' ? '' : lock === 'share' ? ' FOR SHARE' : ' FOR UPDATE'}`,
    [id, networkId],
  );
  if (!row) throw notFound('Member');
  return members.map(row);
}
