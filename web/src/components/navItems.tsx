// The navigation menu, filtered by what the user's role may read.
import {
  AppstoreOutlined, BankOutlined, CalendarOutlined, CheckSquareOutlined, ContactsOutlined, DollarOutlined,
  FunnelPlotOutlined, HomeOutlined, SettingOutlined, ShoppingCartOutlined, TagsOutlined, TeamOutlined, UserOutlined,
  AimOutlined, SafetyOutlined, FormOutlined, BranchesOutlined, AuditOutlined, DatabaseOutlined, MobileOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import type { Me } from '../api/types';
import { can } from '../lib/permissions';

type Item = Required<MenuProps>['items'][number];

export function navItems(t: TFunction, me: Me): Item[] {
  const reads = (e: string) => can(me, e, 'read');
  const items: Item[] = [
    { key: '/', icon: <HomeOutlined />, label: t('nav.home') },
    reads('tasks') && { key: '/my-tasks', icon: <CheckSquareOutlined />, label: t('nav.myTasks') },
    reads('deals') && { key: '/deals/board', icon: <FunnelPlotOutlined />, label: t('nav.pipeline') },
    reads('accounts') && { key: '/accounts', icon: <BankOutlined />, label: t('nav.accounts') },
    reads('contacts') && { key: '/contacts', icon: <ContactsOutlined />, label: t('nav.contacts') },
    reads('leads') && { key: '/leads', icon: <AimOutlined />, label: t('nav.leads') },
    reads('deals') && { key: '/deals', icon: <DollarOutlined />, label: t('nav.deals') },
    reads('activities') && { key: '/activities', icon: <CalendarOutlined />, label: t('nav.activities') },
    reads('tasks') && { key: '/tasks', icon: <CheckSquareOutlined />, label: t('nav.tasks') },
    reads('products') && { key: '/products', icon: <TagsOutlined />, label: t('nav.products') },
    reads('orders') && { key: '/orders', icon: <ShoppingCartOutlined />, label: t('nav.orders') },
    me.permissions.admin && {
      key: 'admin',
      icon: <AppstoreOutlined />,
      label: t('nav.admin'),
      children: [
        { key: '/admin/users', icon: <UserOutlined />, label: t('nav.users') },
        { key: '/admin/teams', icon: <TeamOutlined />, label: t('nav.teams') },
        { key: '/admin/roles', icon: <SafetyOutlined />, label: t('nav.roles') },
        { key: '/admin/custom-fields', icon: <FormOutlined />, label: t('nav.customFields') },
        { key: '/admin/pipelines', icon: <BranchesOutlined />, label: t('nav.pipelines') },
        { key: '/admin/audit', icon: <AuditOutlined />, label: t('nav.audit') },
        { key: '/admin/backups', icon: <DatabaseOutlined />, label: t('nav.backups') },
        { key: '/admin/devices', icon: <MobileOutlined />, label: t('nav.devices') },
      ],
    },
    { key: '/settings', icon: <SettingOutlined />, label: t('nav.settings') },
  ].filter(Boolean) as Item[];
  return items;
}

// The menu key to highlight for a path: the longest item key that prefixes it.
export function selectedNavKey(path: string): string {
  if (path === '/') return '/';
  if (path.startsWith('/deals/board')) return '/deals/board';
  const first = '/' + (path.split('/')[1] ?? '');
  if (first === '/admin') return path.split('/').slice(0, 3).join('/');
  return first;
}
