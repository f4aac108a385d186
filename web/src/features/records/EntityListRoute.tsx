import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { isEntityName, LIST_ENTITIES } from '../../api/entities';
import { useMe } from '../../auth/session';
import { NotFoundPage } from '../../components/NotFoundPage';
import { can } from '../../lib/permissions';
import { EntityListPage } from './EntityListPage';

export function EntityListRoute() {
  const { t } = useTranslation();
  const { entity } = useParams();
  const me = useMe();
  if (!isEntityName(entity) || !LIST_ENTITIES.includes(entity)) return <NotFoundPage />;
  if (!can(me, entity, 'read')) return <Result status="403" title={t('errors.code.forbidden')} />;
  return <EntityListPage key={entity} entity={entity} />;
}
