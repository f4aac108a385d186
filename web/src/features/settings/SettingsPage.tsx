// The user's own settings (PATCH /api/v1/me): name, language, time zone and password. Changing
// the password needs the current one; the server then signs out every other session and API
// token of the user and keeps this one.
import { Alert, App, Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errorMessages';
import { ApiError } from '../../api/errors';
import { useRoles } from '../../api/queries';
import type { Me } from '../../api/types';
import { useMe, useSession } from '../../auth/session';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { ErrorAlert } from '../../components/PageStates';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { useUnsavedChanges } from '../../components/UnsavedChanges';
import { roleName } from '../../i18n/labels';
import { applyServerErrors } from '../../lib/formValues';
import { usePageTitle } from '../../components/usePageTitle';

// The server's rule (auth::password_problem): 10 characters at least, 200 bytes at most.
const PASSWORD_MIN_CHARS = 10;
const PASSWORD_MAX_BYTES = 200;

function ProfileCard() {
  const { t } = useTranslation();
  const me = useMe();
  const { replaceMe } = useSession();
  const { message } = App.useApp();
  const roles = useRoles().data ?? [];
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [typed, setTyped] = useState(false);
  useUnsavedChanges(typed || !!error);

  const save = async ({ name }: { name: string }) => {
    setBusy(true);
    setError(null);
    try {
      replaceMe(await api.patch<Me>('/api/v1/me', { name: name.trim() }));
      setTyped(false);
      void message.success(t('settings.saved'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) applyServerErrors(form, e, new Set(['name']));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('settings.profile')}>
      <p className="muted">{t('settings.account', { email: me.email, role: roleName(roles.find((r) => r.id === me.role_id), me.role_id) })}</p>
      <Form form={form} layout="vertical" initialValues={{ name: me.name }} onFinish={(v) => void save(v)} onValuesChange={() => setTyped(true)} disabled={busy} data-testid="profile-form">
        <ErrorAlert error={error} onRetry={() => form.submit()} save />
        <Form.Item name="name" label={t('settings.name')} rules={[{ required: true, whitespace: true, message: t('errors.field.required') }]}>
          <Input maxLength={100} autoComplete="name" data-testid="settings-name" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="save-profile">{t('record.save')}</Button>
      </Form>
    </Card>
  );
}

function PreferencesCard() {
  const { t } = useTranslation();
  const me = useMe();
  const { replaceMe } = useSession();
  const { message } = App.useApp();
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
    <Card size="small" title={t('settings.preferences')}>
      <Form layout="vertical">
        <Form.Item label={t('settings.language')} extra={t('settings.languageHint')}><LanguageSwitch /></Form.Item>
        <Form.Item label={t('settings.timeZone')} extra={t('settings.timeZoneHint')}>
          <TimeZoneSelect
            value={me.time_zone}
            disabled={busy}
            onChange={(v: string) => void saveTz(v)}
            style={{ width: '100%', maxWidth: 420 }}
            aria-label={t('settings.timeZone')}
            placeholder={t('settings.timeZoneSearch')}
            data-testid="settings-time-zone"
          />
        </Form.Item>
      </Form>
    </Card>
  );
}

interface PasswordValues {
  current_password: string;
  password: string;
  confirm: string;
}

function PasswordCard() {
  const { t } = useTranslation();
  const { replaceMe } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  const [typed, setTyped] = useState(false);
  useUnsavedChanges(typed);

  const save = async (v: PasswordValues) => {
    setBusy(true);
    setError(null);
    setUnplaced([]);
    setDone(false);
    try {
      replaceMe(await api.patch<Me>('/api/v1/me', { current_password: v.current_password, password: v.password }));
      form.resetFields();
      setTyped(false);
      setDone(true);
      void message.success(t('settings.passwordChanged'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) setUnplaced(applyServerErrors(form, e, new Set(['current_password', 'password'])));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('settings.password')}>
      {done && (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} message={t('settings.passwordChanged')} description={t('settings.passwordOtherSessions')} data-testid="password-changed" />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} onValuesChange={() => setTyped(true)} disabled={busy} data-testid="password-form">
        <ErrorAlert error={error} onRetry={() => form.submit()} save />
        {unplaced.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={unplaced.join('; ')} />}
        <Form.Item name="current_password" label={t('settings.currentPassword')} rules={[{ required: true, message: t('errors.field.required') }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('settings.newPassword')}
          extra={t('settings.passwordRules', { min: PASSWORD_MIN_CHARS })}
          rules={[
            { required: true, message: t('errors.field.required') },
            {
              validator: (_, value: string | undefined) => {
                const v = value ?? '';
                if ([...v].length < PASSWORD_MIN_CHARS) return Promise.reject(new Error(t('settings.passwordTooShort', { min: PASSWORD_MIN_CHARS })));
                if (new TextEncoder().encode(v).length > PASSWORD_MAX_BYTES) return Promise.reject(new Error(t('settings.passwordTooLong')));
                return Promise.resolve();
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('settings.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('errors.field.required') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('settings.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <p className="muted">{t('settings.passwordSessionsHint')}</p>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="change-password">{t('settings.changePassword')}</Button>
        </Space>
      </Form>
    </Card>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('settings.title'));
  return (
    <div className="page" style={{ maxWidth: 640 }}>
      <div className="page-header"><h1>{t('settings.title')}</h1></div>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <ProfileCard />
        <PreferencesCard />
        <PasswordCard />
      </Space>
    </div>
  );
}
