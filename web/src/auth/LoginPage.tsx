// Sign-in. Shows why the user is here (session ended, signed out) and any sign-in error in
// their language; the typed email stays after a failed attempt.
//
// It is the first page most people load, on whatever network and phone they have, so it is
// plain markup styled in styles.css to look like the rest of the app, with no Ant Design at all:
// the component library (and its run-time styles) loads with the signed-in app, a separate
// chunk that starts loading as soon as the form is sent (App.tsx). Keep it that way: one antd
// import here brings a large part of the library onto this page.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { errorMessage } from '../api/errorMessages';
import { ApiError, isNetworkError } from '../api/errors';
import { setLanguage, type Language } from '../i18n';
import { useSession } from './session';
import { usePageTitle } from '../components/usePageTitle';

// onSubmit: told when the form is sent (App.tsx starts loading the signed-in app then).
export function LoginPage({ onSubmit }: { onSubmit?: () => void } = {}) {
  const { t, i18n } = useTranslation();
  usePageTitle(t('auth.signIn'));
  const { signIn, signedOutReason } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [tried, setTried] = useState(false); // required-field messages show after a first attempt
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const emailMissing = tried && !email.trim();
  const passwordMissing = tried && !password;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!email.trim() || !password || busy) return;
    setBusy(true);
    setError(null);
    onSubmit?.();
    try {
      await signIn(email.trim(), password);
      navigate(from === '/login' ? '/' : from, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <main className="login-page">
      <section className="login-card">
        <div className="login-head">
          <h1 className="login-title">{t('auth.title')}</h1>
          <select
            className="login-language"
            aria-label={t('app.language')}
            data-testid="language-switch"
            value={i18n.language}
            onChange={(e) => void setLanguage(e.target.value as Language)}
          >
            <option value="en">English</option>
            <option value="zh-CN">简体中文</option>
          </select>
        </div>
        {signedOutReason === 'expired' && !error && (
          <div className="login-notice info" role="status" data-testid="session-expired">{t('auth.sessionExpired')}</div>
        )}
        {signedOutReason === 'signedOut' && !error && (
          <div className="login-notice success" role="status">{t('auth.signedOut')}</div>
        )}
        {!!error && (
          <div className={`login-notice ${isNetworkError(error) ? 'warning' : 'error'}`} role="alert">
            {errorMessage(error)}
            {requestId && <div className="muted">{t('errors.requestId', { id: requestId })}</div>}
          </div>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <fieldset disabled={busy}>
            <label className="login-field">
              <span>{t('auth.email')}</span>
              <input
                name="email" type="text" inputMode="email" autoComplete="username" autoCapitalize="none" spellCheck={false}
                autoFocus value={email} onChange={(e) => setEmail(e.target.value)}
                aria-invalid={emailMissing} aria-describedby={emailMissing ? 'login-email-error' : undefined}
              />
              {emailMissing && <span className="login-error" id="login-email-error" role="alert">{t('auth.emailRequired')}</span>}
            </label>
            <label className="login-field">
              <span>{t('auth.password')}</span>
              <span className="login-password">
                <input
                  name="password" type={showPassword ? 'text' : 'password'} autoComplete="current-password"
                  value={password} onChange={(e) => setPassword(e.target.value)}
                  aria-invalid={passwordMissing} aria-describedby={passwordMissing ? 'login-password-error' : undefined}
                />
                <button
                  type="button" className="login-reveal" aria-pressed={showPassword}
                  onClick={() => setShowPassword((v) => !v)}
                >
                  {showPassword ? t('auth.hidePassword') : t('auth.showPassword')}
                </button>
              </span>
              {passwordMissing && <span className="login-error" id="login-password-error" role="alert">{t('auth.passwordRequired')}</span>}
            </label>
            <button type="submit" className="login-submit" aria-busy={busy}>
              {busy && <span className="login-spinner" aria-hidden />}
              {busy ? t('auth.signingIn') : t('auth.signIn')}
            </button>
          </fieldset>
        </form>
      </section>
    </main>
  );
}
