// The signed-in app, loaded by App.tsx only after sign-in (or at start-up with a stored session):
// the layout, the server's entity definitions, the offline queue, and the routes. Each screen
// is a chunk of its own, fetched when it is first opened, so Today does not wait for the list,
// record, board or admin code. Screens that use the record engine (lists, record pages, the
// board) load the features registered into it first (features/registry.ts).
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppLayout } from './components/AppLayout';
import { ErrorBoundary } from './components/ErrorBoundary';
import { MetaProvider } from './components/MetaProvider';
import { NotFoundPage } from './components/NotFoundPage';
import { OfflineQueueProvider } from './components/OfflineQueue';
import { UnsavedChangesProvider } from './components/UnsavedChanges';
import { Loading } from './components/PageStates';

type Module = Record<string, unknown>;

// A lazy screen: `name` is the component exported by the module `load` imports.
function screen<M extends Module>(load: () => Promise<M>, name: keyof M & string, engine = false) {
  return lazy(async () => {
    const [mod, registry] = await Promise.all([load(), engine ? import('./features/registry') : null]);
    registry?.registerFeatures();
    return { default: mod[name] as ComponentType };
  });
}

const HomePage = screen(() => import('./features/home/HomePage'), 'HomePage');
const MyTasksPage = screen(() => import('./features/tasks/MyTasksPage'), 'MyTasksPage');
const PipelineBoardPage = screen(() => import('./features/deals/PipelineBoardPage'), 'PipelineBoardPage', true);
const UsersPage = screen(() => import('./features/admin/UsersPage'), 'UsersPage');
const TeamsPage = screen(() => import('./features/admin/TeamsPage'), 'TeamsPage');
const RolesPage = screen(() => import('./features/admin/RolesPage'), 'RolesPage');
const CustomFieldsPage = screen(() => import('./features/admin/CustomFieldsPage'), 'CustomFieldsPage');
const PipelinesPage = screen(() => import('./features/admin/PipelinesPage'), 'PipelinesPage');
const AuditLogPage = screen(() => import('./features/admin/AuditLogPage'), 'AuditLogPage');
const BackupsPage = screen(() => import('./features/admin/BackupsPage'), 'BackupsPage');
const SettingsPage = screen(() => import('./features/settings/SettingsPage'), 'SettingsPage');
const SyncPage = screen(() => import('./features/sync/SyncPage'), 'SyncPage');
const DevicesPage = screen(() => import('./features/admin/DevicesPage'), 'DevicesPage');
const EntityListRoute = screen(() => import('./features/records/EntityListRoute'), 'EntityListRoute', true);
const RecordRoute = screen(() => import('./features/records/RecordRoute'), 'RecordRoute', true);

// People who asked their system for less motion get none: dialogs, menus and messages appear
// without zooming or sliding (WCAG 2.3.3). Read once; a change applies at the next page load.
const REDUCED_MOTION = typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export default function SignedInApp() {
  const { t, i18n } = useTranslation();
  return (
    // Ant Design's theme and locale, and its App (message, modal and notification for the
    // screens: App.useApp), are set here rather than around the sign-in page, which uses none.
    <ConfigProvider
      locale={i18n.language === 'zh-CN' ? zhCN : enUS}
      // A dialog's close button is named "Close" in English by rc-dialog whatever the locale.
      modal={{ closable: { 'aria-label': t('app.close') } }}
      // No ripple on clicked buttons: drawing it reads the button's computed colours at the
      // click, a forced style pass that cost 80 ms of a list's page turn (docs/benchmarks.md).
      wave={{ disabled: true }}
      theme={{
        // A dark brand blue; its generated light tints come out grey, so the selection tints
        // are set explicitly.
        token: {
          motion: !REDUCED_MOTION,
          colorPrimary: '#1f4e79',
          colorPrimaryBg: '#e6f0fa',
          colorPrimaryBgHover: '#d6e6f7',
          controlItemBgActive: '#e6f0fa',
          controlItemBgActiveHover: '#d6e6f7',
          borderRadius: 6,
          fontFamily: 'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif',
        },
        components: {
          Menu: { itemSelectedBg: '#e6f0fa', itemSelectedColor: '#1f4e79' },
          Table: { rowSelectedBg: '#e6f0fa', rowSelectedHoverBg: '#d6e6f7' }, // admin tables; lists: styles.css
        },
      }}
    >
      <AntApp>
        <MetaProvider>
          <OfflineQueueProvider>
            <UnsavedChangesProvider>
              <AppLayout>
                <ErrorBoundary>
                  <Suspense fallback={<Loading />}>
                    <Routes>
                      <Route path="/" element={<HomePage />} />
                      <Route path="/my-tasks" element={<MyTasksPage />} />
                      <Route path="/deals/board" element={<PipelineBoardPage />} />
                      <Route path="/admin/users" element={<UsersPage />} />
                      <Route path="/admin/teams" element={<TeamsPage />} />
                      <Route path="/admin/roles" element={<RolesPage />} />
                      <Route path="/admin/custom-fields" element={<CustomFieldsPage />} />
                      <Route path="/admin/pipelines" element={<PipelinesPage />} />
                      <Route path="/admin/audit" element={<AuditLogPage />} />
                      <Route path="/admin/backups" element={<BackupsPage />} />
                      <Route path="/settings" element={<SettingsPage />} />
                      <Route path="/sync" element={<SyncPage />} />
                      <Route path="/admin/devices" element={<DevicesPage />} />
                      <Route path="/login" element={<Navigate to="/" replace />} />
                      <Route path="/:entity" element={<EntityListRoute />} />
                      <Route path="/:entity/:id" element={<RecordRoute />} />
                      <Route path="*" element={<NotFoundPage />} />
                    </Routes>
                  </Suspense>
                </ErrorBoundary>
              </AppLayout>
            </UnsavedChangesProvider>
          </OfflineQueueProvider>
        </MetaProvider>
      </AntApp>
    </ConfigProvider>
  );
}
