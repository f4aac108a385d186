// Switches between English and Simplified Chinese. The choice is kept on this device and, when
// signed in, on the user's profile (so other devices can follow).
import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { setLanguage, type Language } from '../i18n';
import type { Me } from '../api/types';
import { useSession } from '../auth/session';

export function LanguageSwitch({ compact }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const { me, replaceMe } = useSession();
  const change = async (lang: Language) => {
    await setLanguage(lang);
    if (me && me.locale !== lang) {
      try {
        replaceMe(await api.patch<Me>('/api/v1/me', { locale: lang }));
      } catch {
        /* the local choice already applies; the profile catches up next time */
      }
    }
  };
  return (
    <Select<Language>
      aria-label={t('app.language')}
      value={i18n.language as Language}
      onChange={(v) => void change(v)}
      suffixIcon={<GlobalOutlined />}
      variant={compact ? 'borderless' : 'outlined'}
      popupMatchSelectWidth={false}
      data-testid="language-switch"
      options={[
        { value: 'en', label: 'English' },
        { value: 'zh-CN', label: '简体中文' },
      ]}
    />
  );
}
