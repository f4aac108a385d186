// "A new version of Keel is ready": shown when the service worker has installed a newer build
// (src/pwa.ts). Nothing changes under the user's hands; the reload is theirs to choose. Plain
// markup: it is shown on the sign-in page too, which loads no Ant Design.
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { applyUpdate, onUpdateReady, updateReady } from '../pwa';

export function UpdateBanner() {
  const { t } = useTranslation();
  const ready = useSyncExternalStore(onUpdateReady, updateReady, () => false);
  if (!ready) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      <span>{t('app.updateReady')}</span>
      <button type="button" onClick={applyUpdate}>{t('app.reload')}</button>
    </div>
  );
}
