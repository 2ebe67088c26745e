import { Injectable } from '@nestjs/common';
import { Caller } from '@tandem/auth';

/** The fields of a member that decide who reaches it. */
export interface MemberReach {
  id: string;
  networkId: string;
  referredById: string | null;
}

/** A WHERE fragment with named parameters, for TypeORM query builders. */
export interface SqlFilter {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Who reaches which member: the one place for docs/api.md, "Keys and reach".
 *
 * - operator: every member of its network, nothing in any other;
 * - any member: itself;
 * - a PARTNER: also the members it referred (not their orders, balances or statements);
 * - several roles: the union.
 *
 * A lookup out of reach is NOT_FOUND; a list is filtered, never an error.
 * Objects reached through a visible object (Member.referredBy, Order.client)
 * always resolve and are not checked here, except Member.terms (canSeeTerms).
 */
@Injectable()
export class MemberPolicy {
  /** May the caller look this member up (member(id), and the members list)? */
  canSee(caller: Caller, member: MemberReach): boolean {
    if (caller.kind === 'ADMIN' || member.networkId !== caller.networkId) return false;
    if (caller.kind === 'OPERATOR' || member.id === caller.memberId) return true;
    return caller.roles.includes('PARTNER') && member.referredById === caller.memberId;
  }

  /** Member.terms: only the member itself and its network's operator see them. */
  canSeeTerms(caller: Caller, member: Pick<MemberReach, 'id' | 'networkId'>): boolean {
    return this.isSelfOrOperator(caller, member);
  }

  /**
   * The operator of the member's network, or the member itself: who reaches a
   * member's own orders, balance, statements and health (a partner does not
   * reach those of the members it referred).
   */
  isSelfOrOperator(caller: Caller, member: Pick<MemberReach, 'id' | 'networkId'>): boolean {
    if (caller.kind === 'ADMIN' || member.networkId !== caller.networkId) return false;
    return caller.kind === 'OPERATOR' || caller.memberId === member.id;
  }

  /** canSee as SQL over the members table aliased `alias` (the same rule, for lists). */
  filter(caller: Caller, alias: string): SqlFilter {
    if (caller.kind === 'ADMIN') return { sql: 'false', params: {} };
    const params: Record<string, unknown> = { mp_network: caller.networkId };
    const inNetwork = `${alias}.network_id = :mp_network`;
    if (caller.kind === 'OPERATOR') return { sql: inNetwork, params };
    params.mp_self = caller.memberId;
    const reach = caller.roles.includes('PARTNER') ? `(${alias}.id = :mp_self OR ${alias}.referred_by_id = :mp_self)` : `${alias}.id = :mp_self`;
    return { sql: `${inNetwork} AND ${reach}`, params };
  }
}
