// Sign-in. Shows why the user is here (session ended, signed out) and any sign-in error in
// their language; the typed email stays after a failed attempt.
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../components/PageStates';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useSession } from './session';

export function LoginPage() {
  const { t } = useTranslation();
  const { signIn, signedOutReason } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const submit = async (v: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(v.email.trim(), v.password);
      navigate(from === '/login' ? '/' : from, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t('auth.title')}</Typography.Title>
          <LanguageSwitch compact />
        </div>
        {signedOutReason === 'expired' && !error && (
          <Alert type="info" showIcon role="status" style={{ marginBottom: 12 }} message={t('auth.sessionExpired')} data-testid="session-expired" />
        )}
        {signedOutReason === 'signedOut' && !error && (
          <Alert type="success" showIcon role="status" style={{ marginBottom: 12 }} message={t('auth.signedOut')} />
        )}
        <ErrorAlert error={error} />
        <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item name="email" label={t('auth.email')} rules={[{ required: true, message: t('auth.emailRequired') }]}>
            <Input prefix={<MailOutlined aria-hidden />} inputMode="email" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {busy ? t('auth.signingIn') : t('auth.signIn')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
