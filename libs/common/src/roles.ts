/**
 * The roles a member holds in its network (it may hold several). Declared here,
 * below every library that speaks of them: auth grants by them, network stores
 * them, health and analytics weigh them. The GraphQL enum Role is registered from
 * this list (libs/network/src/member/member.object.ts).
 */
export const ROLES = ['CLIENT', 'SUPPLIER', 'PARTNER'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}
