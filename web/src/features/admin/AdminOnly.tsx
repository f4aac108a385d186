import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/session';

// Administration screens are for administrators; others get a clear answer, not an error.
export function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.permissions.admin) return <Result status="403" title={t('admin.forbidden')} />;
  return <>{children}</>;
}
