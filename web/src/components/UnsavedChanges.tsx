// Asks before leaving a page with changes the server has not received (lib/leaveGuard.ts):
// react-router's blocker for in-app navigation (needs the data router, App.tsx), beforeunload
// for closing or reloading the tab. Forms say they hold unsent changes with useUnsavedChanges.
import { Modal } from 'antd';
import { createContext, useCallback, useContext, useEffect, useId, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker, useLocation } from 'react-router-dom';
import { shouldBlockNavigation, shouldWarnOnUnload, UnsavedChanges } from '../lib/leaveGuard';

const UnsavedContext = createContext<UnsavedChanges | null>(null);

export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [registry] = useState(() => new UnsavedChanges());
  const count = useSyncExternalStore(
    (l) => registry.subscribe(l),
    () => registry.count(),
  );
  const blocker = useBlocker(({ currentLocation, nextLocation }) =>
    shouldBlockNavigation(registry.list(), currentLocation, nextLocation));

  useEffect(() => {
    if (!shouldWarnOnUnload(registry.list())) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ''; // older browsers need it set to show the dialog
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [count, registry]);

  return (
    <UnsavedContext.Provider value={registry}>
      {children}
      <Modal
        open={blocker.state === 'blocked'}
        title={t('unsaved.title')}
        okText={t('unsaved.leave')}
        okButtonProps={{ danger: true, ...({ 'data-testid': 'leave-anyway' } as Record<string, string>) }}
        cancelText={t('unsaved.stay')}
        cancelButtonProps={{ 'data-testid': 'stay-on-page' } as Record<string, string>}
        onOk={() => blocker.proceed?.()}
        onCancel={() => blocker.reset?.()}
        data-testid="unsaved-dialog"
      >
        {t('unsaved.body')}
      </Modal>
    </UnsavedContext.Provider>
  );
}

// Marks the calling form as holding unsent changes while `dirty` is true. The function it
// returns lets go at once, for a form that navigates right after its save succeeded.
export function useUnsavedChanges(dirty: boolean): () => void {
  const registry = useContext(UnsavedContext);
  const id = useId();
  const { pathname } = useLocation();
  useEffect(() => {
    if (!registry) return;
    registry.set(id, pathname, dirty);
    return () => registry.set(id, pathname, false);
  }, [registry, id, pathname, dirty]);
  return useCallback(() => registry?.set(id, pathname, false), [registry, id, pathname]);
}
