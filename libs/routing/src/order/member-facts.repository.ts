import { EntityManager } from 'typeorm';
import { selectRow } from '@tandem/persistence';

/** What routing needs to know of an order's party when its fees are frozen. */
export interface OrderParty {
  id: string;
  referredById: string | null;
  joinedAt: Date;
}

/**
 * Routing's reads of members, which network owns: through its public view
 * member_facts (libs/network/README.md), never its table.
 */
export const MemberFactsRepository = {
  /** The member's roles when it belongs to the network; null when it does not (or does not exist). */
  async rolesIn(em: EntityManager, networkId: string, memberId: string): Promise<string[] | null> {
    const row = await selectRow<{ roles: string[] }>(em, `SELECT roles FROM member_facts WHERE id = $1 AND network_id = $2`, [memberId, networkId]);
    return row?.roles ?? null;
  },

  /** Who referred the member, and since when it is a member: what its partner's share depends on. */
  async party(em: EntityManager, memberId: string): Promise<OrderParty> {
    const row = await selectRow<{ id: string; referred_by_id: string | null; joined_at: Date }>(
      em,
      `SELECT id, referred_by_id, joined_at FROM member_facts WHERE id = $1`,
      [memberId],
    );
    // Orders reference their parties, so a missing one is a broken invariant, not a caller's mistake.
    if (!row) throw new Error(`member ${memberId} of an order does not exist`);
    return { id: row.id, referredById: row.referred_by_id, joinedAt: row.joined_at };
  },
};
