import { Role } from '@tandem/common';

/** Who is calling, as established from the request's key. */
export type Caller =
  | { kind: 'ADMIN' }
  | { kind: 'OPERATOR'; networkId: string; keyId: string }
  | { kind: 'MEMBER'; networkId: string; memberId: string; roles: Role[]; keyId: string };

export type OperatorCaller = Extract<Caller, { kind: 'OPERATOR' }>;
export type MemberCaller = Extract<Caller, { kind: 'MEMBER' }>;
export type NetworkCaller = OperatorCaller | MemberCaller;

/** What a resolver may allow: a kind of key, or a member role. */
export type Grant = 'ADMIN' | 'OPERATOR' | Role;

export function callerHolds(caller: Caller, grants: readonly Grant[]): boolean {
  if (caller.kind === 'ADMIN') return grants.includes('ADMIN');
  if (caller.kind === 'OPERATOR') return grants.includes('OPERATOR');
  return caller.roles.some((r) => grants.includes(r));
}

export const isOperator = (c: Caller): c is OperatorCaller => c.kind === 'OPERATOR';
export const isMember = (c: Caller): c is MemberCaller => c.kind === 'MEMBER';
export const hasRole = (c: Caller, role: Role): boolean => c.kind === 'MEMBER' && c.roles.includes(role);

/** The caller's network; the admin key has none. */
export function networkOf(c: Caller): string {
  if (c.kind === 'ADMIN') throw new Error('the admin key has no network');
  return c.networkId;
}

/** A label for audit trails (vetting history, order events). */
export function actorLabel(c: Caller): string {
  if (c.kind === 'ADMIN') return 'admin';
  if (c.kind === 'OPERATOR') return `operator:${c.keyId}`;
  return `member:${c.memberId}`;
}
