import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, describeError, onUnauthenticated, request } from '../graphql/client';
import { SessionQuery, type ResultOfSession } from './session-query';
import { cleanKey, forgetKey, loadKey, saveKey, type Identity } from './session';

export interface SessionState {
  key: string | null;
  identity: Identity | null;
  /** The full answer of the Session query (the member's terms, the network's schedule). */
  profile: ResultOfSession | null;
  /** Checking a stored key after a reload. */
  restoring: boolean;
  /** Why the last session ended or the last sign-in failed, in words. */
  notice: string | null;
  signIn(raw: string): Promise<boolean>;
  signOut(notice?: string): void;
  /** Reads me and network again (after a change of one's own profile). */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

const storage = () => (typeof window === 'undefined' ? undefined : window.sessionStorage);

function identityOf(data: ResultOfSession): Identity {
  const network = { id: data.network.id, name: data.network.name, currency: data.network.currency };
  return data.me ? { kind: 'member', network, member: { id: data.me.id, name: data.me.name, roles: [...data.me.roles] } } : { kind: 'operator', network };
}

/** Words for a key that cannot open the portal. */
function signInFailure(e: unknown): string {
  if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') return 'This key was not accepted: it is unknown or has been revoked. Check it and try again.';
  if (e instanceof ApiError && e.code === 'FORBIDDEN') {
    return 'This is the platform admin key: it may only create networks. Sign in with an operator key or a member key.';
  }
  return describeError(e);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [key, setKey] = useState<string | null>(() => loadKey(storage()));
  const [profile, setProfile] = useState<ResultOfSession | null>(null);
  const [restoring, setRestoring] = useState<boolean>(() => loadKey(storage()) !== null);
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback((why?: string) => {
    forgetKey(storage());
    setKey(null);
    setProfile(null);
    setNotice(why ?? null);
  }, []);

  const signIn = useCallback(async (raw: string) => {
    const candidate = cleanKey(raw);
    if (!candidate) {
      setNotice('Paste a key first.');
      return false;
    }
    try {
      const data = await request(SessionQuery, {}, candidate);
      saveKey(storage(), candidate);
      setKey(candidate);
      setProfile(data);
      setNotice(null);
      return true;
    } catch (e) {
      setNotice(signInFailure(e));
      return false;
    }
  }, []);

  const refresh = useCallback(async () => {
    if (!key) return;
    try {
      setProfile(await request(SessionQuery, {}, key));
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'UNAUTHENTICATED')) throw e;
    }
  }, [key]);

  // A key kept from earlier in this browser session is checked again, not trusted.
  useEffect(() => {
    if (!restoring || !key) return;
    let live = true;
    request(SessionQuery, {}, key)
      .then((data) => live && setProfile(data))
      .catch((e) => live && signOut(signInFailure(e)))
      .finally(() => live && setRestoring(false));
    return () => {
      live = false;
    };
  }, [restoring, key, signOut]);

  // A key revoked while the portal is open ends the session on its next request.
  useEffect(
    () =>
      onUnauthenticated(() => {
        if (loadKey(storage())) signOut('The API no longer accepts this key (it may have been revoked). Sign in with a valid key.');
      }),
    [signOut],
  );

  const value = useMemo<SessionState>(
    () => ({ key, profile, identity: profile ? identityOf(profile) : null, restoring, notice, signIn, signOut, refresh }),
    [key, profile, restoring, notice, signIn, signOut, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in key and identity; only for views shown after sign-in. */
export function useSignedIn(): { key: string; identity: Identity; profile: ResultOfSession } {
  const s = useSession();
  if (!s.key || !s.identity || !s.profile) throw new Error('not signed in');
  return { key: s.key, identity: s.identity, profile: s.profile };
}
