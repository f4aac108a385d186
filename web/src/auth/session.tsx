// The signed-in session: who the user is (GET /api/v1/me, with their role's permissions),
// sign-in and sign-out, and what happens when the server ends the session (expiry, revocation,
// deactivation): back to the sign-in screen with a message, never a blank page.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, getToken, onSessionEnded, setToken } from '../api/client';
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

  useEffect(() => {
    if (!getToken()) return;
    let cancelled = false;
    setBooting(true);
    setBootError(null);
    api
      .get<Me>('/api/v1/me')
      .then((m) => {
        if (cancelled) return;
        applyProfileLanguage(m);
        setMe(m);
      })
      .catch((e: unknown) => !cancelled && setBootError(getToken() ? e : null))
      .finally(() => !cancelled && setBooting(false));
    return () => {
      cancelled = true;
    };
  }, [bootAttempt]);

  useEffect(
    () =>
      onSessionEnded(() => {
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
      applyProfileLanguage(answer.user);
      setMe(answer.user);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } catch {
      /* signing out locally is what matters; the token expires on its own */
    }
    setToken(null);
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
      replaceMe: setMe,
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
