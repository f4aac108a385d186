// The states shown before the signed-in app has loaded (App.tsx's gate: the session being
// checked, or the check failing), in plain markup styled by styles.css: they are part of the
// first page, which loads no Ant Design (auth/LoginPage.tsx). They look like antd's Spin and
// Result.
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/errorMessages';
import { isNetworkError } from '../api/errors';

export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <div className="boot-spinner" role="status" aria-live="polite">
      <span className="login-spinner large" aria-hidden />
      <span>{t('app.loading')}</span>
    </div>
  );
}

// The app could not start (GET /me failed): what went wrong, and a retry.
export function BootError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const network = isNetworkError(error);
  return (
    <main className="boot-error" role="alert">
      <span className={`boot-icon ${network ? 'warning' : 'error'}`} aria-hidden>{network ? '!' : '×'}</span>
      <h1>{errorMessage(error)}</h1>
      <button type="button" className="login-submit" onClick={onRetry}>{t('network.retry')}</button>
    </main>
  );
}
