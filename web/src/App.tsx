// Providers (server state, session, language, Ant Design theme and locale) and the routes.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError, isNetworkError } from './api/errors';
import { SessionProvider, useSession } from './auth/session';
import { LoginPage } from './auth/LoginPage';
import { AppLayout } from './components/AppLayout';
import { BootError, FullPageSpinner } from './components/PageStates';
import { ErrorBoundary } from './components/ErrorBoundary';
import { HomePage } from './features/home/HomePage';
import { MyTasksPage } from './features/tasks/MyTasksPage';
import { EntityListRoute } from './features/records/EntityListRoute';
import { RecordRoute } from './features/records/RecordRoute';
import { PipelineBoardPage } from './features/deals/PipelineBoardPage';
import { UsersPage } from './features/admin/UsersPage';
import { TeamsPage } from './features/admin/TeamsPage';
import { RolesPage } from './features/admin/RolesPage';
import { CustomFieldsPage } from './features/admin/CustomFieldsPage';
import { PipelinesPage } from './features/admin/PipelinesPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { NotFoundPage } from './components/NotFoundPage';
import { OfflineQueueProvider } from './features/offline/OfflineQueue';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Client errors will not change by asking again; network failures and 5xx may.
      retry: (count, error: unknown) =>
        count < 2 && (isNetworkError(error) || (error instanceof ApiError && error.status >= 500)),
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
    mutations: { retry: false },
  },
});

function SignedInRoutes() {
  return (
    <OfflineQueueProvider>
      <AppLayout>
        <ErrorBoundary>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/my-tasks" element={<MyTasksPage />} />
            <Route path="/deals/board" element={<PipelineBoardPage />} />
            <Route path="/admin/users" element={<UsersPage />} />
            <Route path="/admin/teams" element={<TeamsPage />} />
            <Route path="/admin/roles" element={<RolesPage />} />
            <Route path="/admin/custom-fields" element={<CustomFieldsPage />} />
            <Route path="/admin/pipelines" element={<PipelinesPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="/login" element={<Navigate to="/" replace />} />
            <Route path="/:entity" element={<EntityListRoute />} />
            <Route path="/:entity/:id" element={<RecordRoute />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </ErrorBoundary>
      </AppLayout>
    </OfflineQueueProvider>
  );
}

function Gate() {
  const { me, booting, bootError, retryBoot } = useSession();
  const location = useLocation();
  if (booting) return <FullPageSpinner />;
  if (bootError) return <BootError error={bootError} onRetry={retryBoot} />;
  if (!me) {
    if (location.pathname !== '/login') {
      // Come back to the same page after signing in.
      return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
    }
    return <LoginPage />;
  }
  return <SignedInRoutes />;
}

function Themed() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'zh-CN' ? zhCN : enUS}
      theme={{
        // A dark brand blue; its generated light tints come out grey, so the selection tints
        // are set explicitly.
        token: {
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
          Table: { rowSelectedBg: '#e6f0fa', rowSelectedHoverBg: '#d6e6f7' },
        },
      }}
    >
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <Gate />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Themed />
    </QueryClientProvider>
  );
}
