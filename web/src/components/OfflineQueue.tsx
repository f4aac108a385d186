// Whether the server can be reached (api/client.ts's connectivity: probed with backoff while it
// does not answer), and the writes made without it (quick activity logs, task completions),
// which wait on the device. The moment any request or probe gets an answer again, the queue is
// sent and every screen's data is loaded again; the browser's online/offline events only make
// the next probe happen at once. The queue is the signed-in user's own (stored under their id):
// another person signing in on the same device never sends it under their name, and it is sent
// when its author signs in here again.
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import {
  createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { connectivity, request } from '../api/client';
import { errorMessage } from '../api/errorMessages';
import { isNetworkError } from '../api/errors';
import { useMe } from '../auth/session';
import type { ConnectivityState } from '../lib/connectivity';
import { localStorageQueue, RetryQueue, type QueuedWrite } from '../lib/retryQueue';

interface OfflineState {
  connection: ConnectivityState;
  reachable: boolean;
  pending: number;
  flush(): Promise<void>;
  // Probes the server now and, if it answers, sends what waits ("Retry now").
  retryNow(): void;
  // Sends now; without a connection, keeps the write for later. Returns whether it was queued.
  submit<T>(write: Omit<QueuedWrite, 'queuedAt' | 'attempts'>): Promise<{ queued: true } | { queued: false; result: T }>;
}

const OfflineContext = createContext<OfflineState | null>(null);

// Before queues were per user they were kept under one key; what waits there was written by
// whoever signed in next on this device, which is who adopts it.
const LEGACY_KEY = 'keel.pendingWrites';
function userQueueKey(userId: string): string {
  const key = `${LEGACY_KEY}.${userId}`;
  try {
    const legacy = localStorage.getItem(LEGACY_KEY);
    if (legacy !== null) {
      if (localStorage.getItem(key) === null) localStorage.setItem(key, legacy);
      localStorage.removeItem(LEGACY_KEY);
    }
  } catch {
    /* storage blocked: the queue lives for this page only */
  }
  return key;
}

const send = (w: QueuedWrite) =>
  request(w.method, w.path, { body: w.body, version: w.version, idempotencyKey: w.key });

const subscribeConnectivity = (onChange: () => void) => connectivity.subscribe(onChange);
const connectivitySnapshot = () => connectivity.state();

export function useConnectivity(): ConnectivityState {
  return useSyncExternalStore(subscribeConnectivity, connectivitySnapshot);
}

export function OfflineQueueProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const me = useMe();
  const [queue] = useState(() => new RetryQueue(localStorageQueue(userQueueKey(me.id)), send));
  const [pending, setPending] = useState(queue.list().length);
  const connection = useConnectivity();

  useEffect(() => queue.subscribe((items) => setPending(items.length)), [queue]);

  const flush = useCallback(async () => {
    if (queue.list().length === 0) return;
    const r = await queue.flush();
    if (r.sent.length) {
      void message.success(t('network.sentQueued', { count: r.sent.length }));
      void queryClient.invalidateQueries();
    }
    for (const { write, error } of r.rejected) void message.error(`${write.label}: ${errorMessage(error)}`);
  }, [queue, message, t, queryClient]);

  // Back in touch: send the queue at once and load again what screens show (data loaded
  // before the outage may be out of date, and failed loads should not wait for a click).
  useEffect(
    () =>
      connectivity.subscribe((now, before) => {
        if (before.status === 'unreachable' && now.status === 'online') {
          void flush();
          void queryClient.invalidateQueries();
        }
      }),
    [flush, queryClient],
  );

  useEffect(() => {
    const up = () => connectivity.hintOnline();
    const down = () => connectivity.hintOffline();
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    void flush(); // writes left from an earlier visit
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [flush]);

  const retryNow = useCallback(() => {
    if (connectivity.state().status === 'unreachable') connectivity.probeNow();
    else void flush();
  }, [flush]);

  const submit = useCallback<OfflineState['submit']>(
    async <T,>(write: Omit<QueuedWrite, 'queuedAt' | 'attempts'>) => {
      try {
        const result = await request<T>(write.method, write.path, { body: write.body, version: write.version, idempotencyKey: write.key });
        return { queued: false as const, result };
      } catch (e) {
        if (!isNetworkError(e)) throw e;
        queue.enqueue(write);
        return { queued: true as const };
      }
    },
    [queue],
  );

  const value = useMemo(
    () => ({ connection, reachable: connection.status === 'online', pending, flush, retryNow, submit }),
    [connection, pending, flush, retryNow, submit],
  );
  return <OfflineContext.Provider value={value}>{children}</OfflineContext.Provider>;
}

export function useOfflineQueue(): OfflineState {
  const v = useContext(OfflineContext);
  if (!v) throw new Error('useOfflineQueue outside OfflineQueueProvider');
  return v;
}
