// Keeps writes made without a connection (quick activity logs, task completions) and sends
// them when the connection is back: on the browser's "online" event, every 30 seconds while
// something waits, and when the user presses "Retry now".
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { isNetworkError } from '../../api/errors';
import { localStorageQueue, RetryQueue, type QueuedWrite } from '../../lib/retryQueue';

interface OfflineState {
  offline: boolean;
  pending: number;
  flush(): Promise<void>;
  // Sends now; without a connection, keeps the write for later. Returns whether it was queued.
  submit<T>(write: Omit<QueuedWrite, 'queuedAt' | 'attempts'>): Promise<{ queued: true } | { queued: false; result: T }>;
}

const OfflineContext = createContext<OfflineState | null>(null);

const send = (w: QueuedWrite) =>
  request(w.method, w.path, { body: w.body, version: w.version, idempotencyKey: w.key });

export function OfflineQueueProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [queue] = useState(() => new RetryQueue(localStorageQueue('keel.pendingWrites'), send));
  const [pending, setPending] = useState(queue.list().length);
  const [offline, setOffline] = useState(typeof navigator !== 'undefined' && navigator.onLine === false);

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

  useEffect(() => {
    const up = () => {
      setOffline(false);
      void flush();
    };
    const down = () => setOffline(true);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    void flush(); // writes left from an earlier visit
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [flush]);

  useEffect(() => {
    if (pending === 0) return;
    const timer = window.setInterval(() => void flush(), 30_000);
    return () => window.clearInterval(timer);
  }, [pending, flush]);

  const submit = useCallback<OfflineState['submit']>(
    async <T,>(write: Omit<QueuedWrite, 'queuedAt' | 'attempts'>) => {
      try {
        const result = await request<T>(write.method, write.path, { body: write.body, version: write.version, idempotencyKey: write.key });
        return { queued: false as const, result };
      } catch (e) {
        if (!isNetworkError(e)) throw e;
        queue.enqueue(write);
        setOffline(true);
        return { queued: true as const };
      }
    },
    [queue],
  );

  const value = useMemo(() => ({ offline, pending, flush, submit }), [offline, pending, flush, submit]);
  return <OfflineContext.Provider value={value}>{children}</OfflineContext.Provider>;
}

export function useOfflineQueue(): OfflineState {
  const v = useContext(OfflineContext);
  if (!v) throw new Error('useOfflineQueue outside OfflineQueueProvider');
  return v;
}
