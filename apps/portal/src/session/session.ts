/*
 * The key lives in sessionStorage only: it survives a reload of the tab but
 * not the browser session, and never reaches localStorage or a cookie.
 */

export const KEY_STORAGE = 'tandem.portal.key';

export interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What a person may paste: the key alone, or with "Bearer " in front, with stray spaces. */
export function cleanKey(raw: string): string {
  return raw
    .trim()
    .replace(/^bearer\s+/i, '')
    .trim();
}

export function loadKey(store: KeyStore | undefined): string | null {
  try {
    return store?.getItem(KEY_STORAGE) || null;
  } catch {
    return null; // storage disabled: sign in again each time
  }
}

export function saveKey(store: KeyStore | undefined, key: string): void {
  try {
    store?.setItem(KEY_STORAGE, key);
  } catch {
    // storage disabled or full: the key stays in memory for this page only
  }
}

export function forgetKey(store: KeyStore | undefined): void {
  try {
    store?.removeItem(KEY_STORAGE);
  } catch {
    // nothing stored
  }
}

export type Role = 'CLIENT' | 'SUPPLIER' | 'PARTNER';

/** Who the key is: the operator of a network (me is null) or a member in its roles. */
export type Identity =
  | { kind: 'operator'; network: { id: string; name: string; currency: string } }
  | { kind: 'member'; network: { id: string; name: string; currency: string }; member: { id: string; name: string; roles: string[] } };

export interface Section {
  path: string;
  label: string;
}

/** The portal's sections a key may open, in menu order: what the key reaches and nothing else. */
export function sectionsFor(identity: Identity): Section[] {
  if (identity.kind === 'operator') {
    return [
      { path: 'overview', label: 'Overview' },
      { path: 'members', label: 'Members' },
      { path: 'orders', label: 'Orders' },
      { path: 'fees', label: 'Fees' },
      { path: 'settlement', label: 'Settlement' },
      { path: 'relationships', label: 'Relationships' },
      { path: 'disputes', label: 'Disputes' },
      { path: 'webhooks', label: 'Webhooks' },
    ];
  }
  const roles = new Set(identity.member.roles);
  const sections: Section[] = [];
  if (roles.has('SUPPLIER')) sections.push({ path: 'offers', label: 'Offers' });
  if (roles.has('CLIENT')) sections.push({ path: 'place-order', label: 'Place an order' });
  if (roles.has('SUPPLIER') || roles.has('CLIENT')) sections.push({ path: 'orders', label: 'Orders' });
  if (roles.has('SUPPLIER')) sections.push({ path: 'earnings', label: 'Earnings' });
  if (roles.has('SUPPLIER')) sections.push({ path: 'capabilities', label: 'Capabilities' });
  if (roles.has('PARTNER')) sections.push({ path: 'referrals', label: 'Referrals' });
  sections.push({ path: 'statements', label: 'Statements' });
  sections.push({ path: 'health', label: 'Relationship' });
  sections.push({ path: 'webhooks', label: 'Webhooks' });
  return sections;
}
