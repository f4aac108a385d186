// The signed-in session: who the user is (GET /api/v1/me, with their role's permissions),
// sign-in and sign-out, and what happens when the server ends the session (expiry, revocation,
// deactivation): back to the sign-in screen with a message, never a blank page.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, connectivity, getToken, onSessionEnded, setToken } from '../api/client';
import { isNetworkError } from '../api/errors';
import type { LoginAnswer, Me } from '../api/types';
import { LANGUAGES, setLanguage, type Language } from '../i18n';
import i18next from 'i18next';

// The language saved in the user's profile follows them to every browser and phone: it is
// applied whenever the signed-in user is learnt (sign-in, or the page loading with a session).
function applyProfileLanguage(me: Me): void {
  const locale = me.locale;
  if (locale && (LANGUAGES as readonly string[]).includes(locale) && i18next.language !== locale)
    void setLanguage(locale as Language);
}

// The signed-in user as last learnt from the server, kept beside the session token, so that the
// app opens with no network (the service worker serves the app itself): the user's screens then
// show what the device holds, marked as not reachable. Gone when the session ends.
const ME_KEY = 'keel.me';

function savedMe(): Me | null {
  try {
    const raw = globalThis.localStorage?.getItem(ME_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

function saveMe(me: Me | null): void {
  try {
    if (me) localStorage.setItem(ME_KEY, JSON.stringify(me));
    else localStorage.removeItem(ME_KEY);
  } catch {
    /* storage full or blocked: the app still works online */
  }
}

export type SignedOutReason = 'expired' | 'signedOut' | null;

interface Session {
  me: Me | null;
  booting: boolean;
  bootError: unknown;
  signedOutReason: SignedOutReason;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  retryBoot(): void;
  replaceMe(me: Me): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [me, setMe] = useState<Me | null>(null);
  const [booting, setBooting] = useState<boolean>(!!getToken());
  const [bootError, setBootError] = useState<unknown>(null);
  const [reason, setReason] = useState<SignedOutReason>(null);
  const [bootAttempt, setBootAttempt] = useState(0);
  const [meFromDevice, setMeFromDevice] = useState(false);

  // The user as the server just said: in the language of their profile, and kept on the device.
  const learn = useCallback((m: Me) => {
    applyProfileLanguage(m);
    saveMe(m);
    setMe(m);
  }, []);

  useEffect(() => {
    if (!getToken()) return;
    let cancelled = false;
    setBooting(true);
    setBootError(null);
    api
      .get<Me>('/api/v1/me')
      .then((m) => !cancelled && learn(m))
      .catch((e: unknown) => {
        if (cancelled) return;
        // No answer at all (offline, server away): open as the user last seen on this device;
        // any answer (401 included) is the server's word and is followed.
        const last = isNetworkError(e) && getToken() ? savedMe() : null;
        if (last) {
          applyProfileLanguage(last);
          setMe(last);
          setMeFromDevice(true);
        } else setBootError(getToken() ? e : null);
      })
      .finally(() => !cancelled && setBooting(false));
    return () => {
      cancelled = true;
    };
  }, [bootAttempt]);

  // Opened offline as the last known user: learn the user again (role, permissions, language)
  // as soon as the server answers (api/client.ts's connectivity probes it with backoff), without
  // restarting the screens. A 401 ends the session (api/client.ts tells onSessionEnded).
  useEffect(() => {
    if (!meFromDevice) return;
    const relearn = () =>
      void api.get<Me>('/api/v1/me').then((m) => {
        learn(m);
        setMeFromDevice(false);
      }, () => {});
    if (connectivity.state().status === 'online') relearn();
    return connectivity.subscribe((now, before) => {
      if (before.status !== 'online' && now.status === 'online') relearn();
    });
  }, [meFromDevice, learn]);

  useEffect(
    () =>
      onSessionEnded(() => {
        saveMe(null);
        setMe(null);
        setReason('expired');
        queryClient.clear();
      }),
    [queryClient],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const answer = await api.post<LoginAnswer>('/api/v1/auth/login', { email, password });
      setToken(answer.token);
      queryClient.clear();
      setReason(null);
      learn(answer.user);
    },
    [queryClient, learn],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } catch {
      /* signing out locally is what matters; the token expires on its own */
    }
    setToken(null);
    saveMe(null);
    setMe(null);
    setReason('signedOut');
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo<Session>(
    () => ({
      me,
      booting,
      bootError,
      signedOutReason: reason,
      signIn,
      signOut,
      retryBoot: () => setBootAttempt((n) => n + 1),
      replaceMe: (m: Me) => {
        saveMe(m);
        setMe(m);
      },
    }),
    [me, booting, bootError, reason, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

// For screens inside the signed-in area, where a user always exists.
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe while signed out');
  return me;
}
