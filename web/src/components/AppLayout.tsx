// The frame of every signed-in screen: side menu on wide screens, a drawer behind a menu button
// on phones, and a header with search, language and the user menu.
import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Drawer, Grid, Layout, Menu } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useMe, useSession } from '../auth/session';
import { bannerFor } from '../lib/connectivity';
import { useOfflineQueue } from './OfflineQueue';
import { SyncStatus } from './SyncStatus';
import { GlobalSearch } from './GlobalSearch';
import { LanguageSwitch } from './LanguageSwitch';
import { MenuButton } from './MenuButton';
import { navItems, selectedNavKey } from './navItems';

const { Header, Sider, Content } = Layout;

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useSession();
  const screens = Grid.useBreakpoint();
  const wide = !!screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const offline = useOfflineQueue();
  const banner = bannerFor(offline.connection, offline.pending);
  const selected = selectedNavKey(location.pathname);
  const { modal } = App.useApp();

  // Signing out offers to remove this user's copy from the device (a shared or borrowed
  // phone); changes still waiting stay unless the user removes them too, and are sent when they
  // sign in here again, which the question says first.
  const confirmSignOut = () => {
    let wipe = false;
    modal.confirm({
      title: offline.pending > 0 ? t('network.signOutPendingTitle', { count: offline.pending }) : t('sync.signOutTitle'),
      content: (
        <>
          {offline.pending > 0 && <p>{t('network.signOutPending')}</p>}
          <Checkbox onChange={(e) => { wipe = e.target.checked; }} data-testid="wipe-on-sign-out">
            {offline.pending > 0 ? t('sync.wipeWithPending', { count: offline.pending }) : t('sync.wipe')}
          </Checkbox>
        </>
      ),
      okText: t('nav.logout'),
      cancelText: t('record.cancel'),
      onOk: async () => {
        if (wipe) await offline.engine.wipe();
        await signOut();
      },
    });
  };

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      defaultOpenKeys={selected.startsWith('/admin') ? ['admin'] : []}
      items={navItems(t, me)}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
      aria-label={t('app.menu')}
      style={{ borderInlineEnd: 0 }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">{t('app.skipToContent')}</a>
      {wide && (
        <Sider width={220} theme="light" style={{ borderRight: '1px solid #eee' }}>
          <Link to="/" style={{ display: 'block', padding: '16px 20px', fontWeight: 600, fontSize: 18, color: '#1f4e79' }}>
            {t('app.name')}
          </Link>
          <nav>{menu}</nav>
        </Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Header
          style={{
            background: '#fff', padding: '0 12px', display: 'flex', alignItems: 'center', gap: 8,
            borderBottom: '1px solid #eee', position: 'sticky', top: 0, zIndex: 10, height: 56, lineHeight: '56px',
          }}
        >
          {!wide && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('app.menu')}
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
              data-testid="nav-toggle"
            />
          )}
          <div style={{ flex: '1 1 auto', minWidth: 0, maxWidth: 480 }}>
            <GlobalSearch />
          </div>
          <div style={{ flex: '0 0 auto', display: 'flex', alignItems: 'center', gap: 4, marginInlineStart: 'auto' }}>
            <SyncStatus compact={!screens.md} />
            {screens.sm && <LanguageSwitch compact />}
            {/* A menu button (keyboard: Enter, Space, arrows, Escape), as the board's stage menu. */}
            <MenuButton
              label={me.name}
              icon={<UserOutlined />}
              size="middle"
              testId="user-menu"
              items={[
                { key: 'settings', label: <><UserOutlined aria-hidden /> {t('nav.settings')}</> },
                { key: 'logout', label: <><LogoutOutlined aria-hidden /> {t('nav.logout')}</> },
              ]}
              onChoose={(key) => (key === 'settings' ? navigate('/settings') : confirmSignOut())}
            >
              {screens.md ? me.name : null}
            </MenuButton>
          </div>
        </Header>
        {banner.kind !== 'none' && (
          <Alert
            banner
            type="warning"
            role="status"
            data-testid="connection-banner"
            message={banner.kind === 'unreachable' ? t('app.offline') : t('app.pendingWrites', { count: banner.pending })}
            description={banner.kind === 'unreachable' ? (
              <>
                {banner.checking ? t('app.offlineChecking') : t('app.offlineWillRetry')}
                {banner.pending > 0 && <> {t('app.pendingWrites', { count: banner.pending })}</>}
              </>
            ) : undefined}
            action={
              <Button size="small" onClick={offline.retryNow} loading={banner.kind === 'unreachable' && banner.checking} data-testid="retry-now">
                {t('app.retryNow')}
              </Button>
            }
          />
        )}
        <Content id="main" tabIndex={-1} style={{ minWidth: 0, outline: 'none' }}>
          {children}
        </Content>
      </Layout>
      <Drawer
        open={!wide && drawerOpen}
        onClose={() => setDrawerOpen(false)}
        placement="left"
        width={260}
        title={t('app.name')}
        styles={{ body: { padding: 0 } }}
      >
        <nav>{menu}</nav>
        <div style={{ padding: 16 }}>
          <LanguageSwitch />
        </div>
      </Drawer>
    </Layout>
  );
}
