// Loading, failure and empty states shared by every screen, so none is ever blank.
import { Alert, Button, Empty, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/errorMessages';
import { ApiError, isNetworkError } from '../api/errors';

export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '60vh' }} role="status" aria-live="polite">
      <Spin size="large" tip={t('app.loading')}>
        <div style={{ width: 120, height: 60 }} />
      </Spin>
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 32, textAlign: 'center' }} role="status" aria-live="polite">
      <Spin /> <span className="muted">{t('app.loading')}</span>
    </div>
  );
}

export function BootError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status={isNetworkError(error) ? 'warning' : 'error'}
      title={errorMessage(error)}
      extra={<Button type="primary" onClick={onRetry}>{t('network.retry')}</Button>}
    />
  );
}

// An error in words the user can act on; the request id lets support find the server log line.
export function ErrorAlert({ error, onRetry, style }: { error: unknown; onRetry?: () => void; style?: React.CSSProperties }) {
  const { t } = useTranslation();
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <Alert
      role="alert"
      type={isNetworkError(error) ? 'warning' : 'error'}
      showIcon
      style={{ marginBottom: 12, ...style }}
      message={errorMessage(error)}
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
