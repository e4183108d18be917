import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { access, type Me } from '../../api/access.ts';
import { ApiError, connectSession, setCsrfToken } from '../../api/client.ts';
import { navigate } from '../../router.ts';

/**
 * Who is signed in, loaded once per page load from /auth/me and kept in a context. The session
 * itself is an HttpOnly cookie the browser sends by itself; this keeps the person, their posts
 * and the CSRF token the client sends with every state-changing request. Any 401 from the API
 * (the session ended, here or everywhere) turns the state to signed out, and the app then shows
 * the sign-in page.
 */

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-in'; me: Me }
  | { status: 'signed-out' }
  | { status: 'error'; error: Error };

export type Session = SessionState & {
  /** After a sign-in or an accepted invitation: the answer is the new Me. */
  signedIn: (me: Me) => void;
  /** Loads Me again (posts granted or ended since); returns null when signed out. */
  refresh: () => Promise<Me | null>;
  /** Ends this browser's session and shows the sign-in page. */
  signOut: () => Promise<void>;
  /** Ends every session of the account (other browsers too) and shows the sign-in page. */
  signOutEverywhere: () => Promise<number>;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const generation = useRef(0);

  const apply = useCallback((me: Me | null) => {
    setCsrfToken(me?.csrfToken ?? null);
    setState(me ? { status: 'signed-in', me } : { status: 'signed-out' });
  }, []);

  const load = useCallback(async (): Promise<Me | null> => {
    const mine = ++generation.current;
    try {
      const me = await access.me();
      if (mine === generation.current) apply(me);
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        if (mine === generation.current) apply(null);
        return null;
      }
      // A failed refresh keeps the person signed in; only a failed first load has nothing to show.
      const failure = error instanceof Error ? error : new Error(String(error));
      if (mine === generation.current) setState((previous) => (previous.status === 'signed-in' ? previous : { status: 'error', error: failure }));
      throw error;
    }
  }, [apply]);

  useEffect(() => {
    load().catch(() => undefined);
    return connectSession({
      signInRequired: () => {
        generation.current++;
        apply(null);
      },
      refresh: async () => (await load())?.csrfToken ?? null,
    });
  }, [load, apply]);

  const signedIn = useCallback(
    (me: Me) => {
      generation.current++;
      apply(me);
    },
    [apply],
  );

  // Go to the sign-in page first, then forget the person: a page that needs a session never
  // sees itself signed out, so it does not ask to come back after the next sign-in.
  const signedOut = useCallback(() => {
    generation.current++;
    flushSync(() => navigate('/sign-in', { replace: true }));
    apply(null);
  }, [apply]);

  const signOut = useCallback(async () => {
    try {
      await access.signOut();
    } finally {
      // Even if the server did not answer, this browser forgets the session.
      signedOut();
    }
  }, [signedOut]);

  const signOutEverywhere = useCallback(async () => {
    const { sessionsEnded } = await access.signOutEverywhere();
    signedOut();
    return sessionsEnded;
  }, [signedOut]);

  const value = useMemo<Session>(() => ({ ...state, signedIn, refresh: load, signOut, signOutEverywhere }), [state, signedIn, load, signOut, signOutEverywhere]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

/** The signed-in person; for pages that are only shown to someone signed in (routes.tsx sees to it). */
export function useMe(): Me {
  const session = useSession();
  if (session.status !== 'signed-in') throw new Error('useMe on a page shown while signed out');
  return session.me;
}

/** Whether the person holds a post in the school today (its staff, leaders, governors). */
export const holdsPostIn = (me: Me, schoolId: number) => me.posts.some((p) => p.current && p.schoolId === schoolId);

/**
 * Where to go after signing in: a path of this app, never another site (`//evil.example`) and
 * never back to the sign-in page.
 */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/sign-in' || next.startsWith('/sign-in?')) return '/';
  return next;
}
