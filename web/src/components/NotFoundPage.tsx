import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePageTitle } from './usePageTitle';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('app.notFound'));
  return (
    <Result
      status="404"
      title={t('app.notFound')}
      extra={<Link to="/"><Button type="primary">{t('app.backHome')}</Button></Link>}
    />
  );
}
