// The signed-in user's offline copy and its sync (sync/: the replica in IndexedDB, the outbox,
// the engine), and whether the server can be reached (api/client.ts's connectivity: probed with
// backoff while it does not answer). While the server is away, requests are answered from the
// replica and writes wait in the outbox (sync/localApi.ts); the moment any request or probe
// gets an answer again, a sync sends what waits and brings the replica up to date, and every
// screen's data is loaded again. A sync also runs at start, every minute while the page is
// shown, and soon after a write waits. The replica and the outbox are the user's own (one
// database per user): another person signing in on this device neither sees nor sends them.
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import {
  useCallback, useEffect, useLayoutEffect, useMemo, useState, useSyncExternalStore, type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { connectivity, isLocalAnswer, newId, onSessionEnded, remote, request, setLocalAnswerer } from '../api/client';
import { findField, entityMeta } from '../api/meta';
import type { EntityName } from '../api/types';
import { useMe, useSession } from '../auth/session';
import type { ConnectivityState } from '../lib/connectivity';
import { recordTitle } from '../lib/recordTitle';
import { SyncEngine } from '../sync/engine';
import { OfflineContext, type OfflineState, type QueuedWrite } from './offlineState';
import { createLocalApi } from '../sync/localApi';
import type { MutationOp, PullAnswer, PushAnswer, ReplicaEntity } from '../sync/protocol';
import { ReplicaDb, replicaName } from '../sync/replica';
import { deviceName, termsOf } from '../sync/terms';

const SYNC_EVERY_MS = 60_000;
const SOON_MS = 300;

const subscribeConnectivity = (onChange: () => void) => connectivity.subscribe(onChange);
const connectivitySnapshot = () => connectivity.state();

export function useConnectivity(): ConnectivityState {
  return useSyncExternalStore(subscribeConnectivity, connectivitySnapshot);
}

// Before the outbox, writes made offline waited in localStorage (per user since the last
// version, under one key before that). What waits there joins the outbox once.
const LEGACY_KEY = 'keel.pendingWrites';
function takeLegacyWrites(userId: string): QueuedWrite[] {
  try {
    const out: QueuedWrite[] = [];
    for (const key of [`${LEGACY_KEY}.${userId}`, LEGACY_KEY]) {
      const raw = localStorage.getItem(key);
      if (raw === null) continue;
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) out.push(...(parsed as QueuedWrite[]));
      localStorage.removeItem(key);
    }
    return out;
  } catch {
    return [];
  }
}

export function OfflineQueueProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const me = useMe();
  const { signOut } = useSession();
  const connection = useConnectivity();

  const [engine] = useState(() => new SyncEngine({
    db: new ReplicaDb(replicaName(me.id)),
    userId: me.id,
    deviceName: deviceName(),
    termsOf: (entity: ReplicaEntity, record) => termsOf(entity, record),
    transport: {
      pull: (query) => remote<PullAnswer>('GET', '/api/v1/sync/pull', { query }),
      push: (body) => remote<PushAnswer>('POST', '/api/v1/sync/push', { body }),
    },
    onRevoked: () => {
      void message.error(t('errors.code.device_revoked'));
      void signOut();
    },
  }));
  const sync = useSyncExternalStore(
    useCallback((cb: () => void) => engine.subscribe(cb), [engine]),
    useCallback(() => engine.state(), [engine]),
  );

  // Syncs; when the server answered changes of this device, screens load again (what they show
  // came from the device, or predates those changes). Changes pulled from others need no reload:
  // with the server reachable, screens read it.
  const flush = useCallback(async (announce = true) => {
    const { answered } = await engine.sync();
    if (answered === 0) return;
    if (announce) void message.success(t('network.sentQueued', { count: answered }));
    void queryClient.invalidateQueries();
  }, [engine, message, t, queryClient]);

  // The device answers for the server while it is away (sync/localApi.ts).
  const local = useMemo(() => createLocalApi({
    engine,
    userId: () => me.id,
    newId,
    context: (entity) => ({
      kindOf: (field) => (entity === 'users' || entity === 'teams' ? undefined : findField(entityMeta(entity as EntityName), field)?.kind),
      timeZone: me.time_zone,
    }),
    labelOf: (entity, op: MutationOp, record) =>
      `${t(`sync.op.${op}`)} · ${record ? recordTitle(entity, record) : t(`entity.${entity}.one`)}`,
  }), [engine, me.id, me.time_zone, t]);

  // Installed in a layout effect: those run before any screen's passive effects, where queries
  // start, so a screen opened with no network asks the device from its very first request.
  useLayoutEffect(() => {
    let soon: ReturnType<typeof setTimeout> | null = null;
    setLocalAnswerer({
      ...local,
      answer(method, path, opts) {
        const answered = local.answer(method, path, opts);
        // A write now waits: send it as soon as the server answers (at once if it does now).
        if (answered && method !== 'GET') {
          void answered.then(() => {
            if (soon) clearTimeout(soon);
            soon = setTimeout(() => void flush(false), SOON_MS);
          }, () => undefined);
        }
        return answered;
      },
    });
    return () => {
      setLocalAnswerer(null);
      if (soon) clearTimeout(soon);
    };
  }, [local, flush]);

  useEffect(() => {
    void (async () => {
      await engine.init();
      for (const w of takeLegacyWrites(me.id))
        await local.answer(w.method, w.path, { body: w.body, version: w.version, label: w.label })?.catch(() => undefined);
      await flush();
    })();
    return onSessionEnded(() => void engine.clearRecords());
  }, [engine, local, me.id, flush]);

  // Back in touch: sync at once and load again what screens show.
  useEffect(
    () =>
      connectivity.subscribe((now, before) => {
        if (before.status === 'unreachable' && now.status === 'online')
          void flush().then(() => queryClient.invalidateQueries());
      }),
    [flush, queryClient],
  );

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && connectivity.state().status === 'online') void engine.sync();
    }, SYNC_EVERY_MS);
    const up = () => connectivity.hintOnline();
    const down = () => connectivity.hintOffline();
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [engine]);

  const retryNow = useCallback(() => {
    if (connectivity.state().status === 'unreachable') connectivity.probeNow();
    else void flush();
  }, [flush]);

  const submit = useCallback<OfflineState['submit']>(
    async <T,>(write: QueuedWrite) => {
      const result = await request<T>(write.method, write.path, {
        body: write.body, version: write.version, idempotencyKey: write.key, label: write.label,
      });
      return isLocalAnswer(result) ? { queued: true as const } : { queued: false as const, result };
    },
    [],
  );

  const value = useMemo(
    () => ({ connection, reachable: connection.status === 'online', pending: sync.pending, sync, engine, flush, retryNow, submit }),
    [connection, sync, engine, flush, retryNow, submit],
  );
  return <OfflineContext.Provider value={value}>{children}</OfflineContext.Provider>;
}

export { useOfflineQueue } from './offlineState';
export type { QueuedWrite } from './offlineState';
