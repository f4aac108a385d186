// The user's own settings: language and time zone (saved on their profile).
import { App, Card, Form, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import type { Me } from '../../api/types';
import { useMe, useSession } from '../../auth/session';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useRoles } from '../../api/queries';
import { timeZoneOptions } from '../admin/timeZones';
import { roleName } from '../../i18n/labels';

export function SettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { replaceMe } = useSession();
  const { message } = App.useApp();
  const roles = useRoles().data ?? [];
  const [busy, setBusy] = useState(false);
  const saveTz = async (time_zone: string) => {
    setBusy(true);
    try {
      replaceMe(await api.patch<Me>('/api/v1/me', { time_zone }));
      void message.success(t('settings.saved'));
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page" style={{ maxWidth: 640 }}>
      <div className="page-header"><h1>{t('settings.title')}</h1></div>
      <Card size="small">
        <p className="muted">{t('settings.account', { email: me.email, role: roleName(roles.find((r) => r.id === me.role_id), me.role_id) })}</p>
        <Form layout="vertical">
          <Form.Item label={t('settings.language')}><LanguageSwitch /></Form.Item>
          <Form.Item label={t('settings.timeZone')} extra={t('settings.timeZoneHint')}>
            <Select showSearch value={me.time_zone} disabled={busy} onChange={(v: string) => void saveTz(v)} options={timeZoneOptions()} style={{ maxWidth: 320 }} aria-label={t('settings.timeZone')} />
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}
