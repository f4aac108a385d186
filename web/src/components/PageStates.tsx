// Loading, failure and empty states shared by every screen, so none is ever blank.
import { Alert, Button, Empty, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/errorMessages';
import { ApiError, isNetworkError } from '../api/errors';
import { useFormat } from '../i18n/useFormat';
import type { LoadState } from '../lib/loadState';
import { useSyncState } from './offlineState';

// Shown before the signed-in app has loaded too, so they are plain markup (BootStates.tsx).
export { BootError, FullPageSpinner } from './BootStates';

export function Loading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 32, textAlign: 'center' }} role="status" aria-live="polite">
      <Spin /> <span className="muted">{t('app.loading')}</span>
    </div>
  );
}

// An error in words the user can act on; the request id lets support find the server log line.
// `save`: the error answered a save, so a network failure says plainly that nothing was saved.
export function ErrorAlert({ error, onRetry, style, save }: { error: unknown; onRetry?: () => void; style?: React.CSSProperties; save?: boolean }) {
  const { t } = useTranslation();
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <Alert
      role="alert"
      type={isNetworkError(error) && !save ? 'warning' : 'error'}
      showIcon
      style={{ marginBottom: 12, ...style }}
      message={save && isNetworkError(error) ? t('network.notSaved') : errorMessage(error)}
      data-testid={save ? 'save-error' : undefined}
      description={requestId ? <span className="muted">{t('errors.requestId', { id: requestId })}</span> : undefined}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t('network.retry')}</Button> : undefined}
    />
  );
}

export function EmptyState({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={children}>
      {action}
    </Empty>
  );
}

// In place of data that was never loaded because the server could not be reached.
export function Unreachable({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="alert" data-testid="unreachable">
      <Result
        status="warning"
        title={t('network.unreachable')}
        subTitle={t('network.unreachableHint')}
        extra={<Button type="primary" onClick={onRetry} data-testid="unreachable-retry">{t('network.retry')}</Button>}
      />
    </div>
  );
}

// Above data that may be out of date: when it was loaded, and a retry.
export function StaleNotice({ loadedAt, onRetry }: { loadedAt: number; onRetry: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // With the server away, screens show the device's copy: as old as its last sync.
  const synced = useSyncState()?.lastSyncAt;
  return (
    <Alert
      role="status"
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      message={t('network.unreachable')}
      description={synced
        ? t('network.copySince', { time: fmt.dateTime(synced) })
        : t('network.staleSince', { time: fmt.dateTime(new Date(loadedAt).toISOString()) })}
      action={<Button size="small" onClick={onRetry}>{t('network.retry')}</Button>}
      data-testid="stale-notice"
    />
  );
}

// What a screen says about its main query (lib/loadState.ts): a notice above data that may be
// out of date, "cannot reach the server" or the error in place of data never loaded.
export function LoadNotice({ state, error, loadedAt, onRetry }: { state: LoadState; error: unknown; loadedAt: number; onRetry: () => void }) {
  if (state === 'stale') return <StaleNotice loadedAt={loadedAt} onRetry={onRetry} />;
  if (state === 'unreachable') return <Unreachable onRetry={onRetry} />;
  if (state === 'failed' || state === 'failedWithData') return <ErrorAlert error={error} onRetry={onRetry} />;
  return null;
}
