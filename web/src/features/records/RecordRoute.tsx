import { isEntityName } from '../../api/entities';
import { useParams } from 'react-router-dom';
import { NotFoundPage } from '../../components/NotFoundPage';
import { RecordPage } from './RecordPage';

export function RecordRoute() {
  const { entity, id } = useParams();
  if (!isEntityName(entity) || !id) return <NotFoundPage />;
  return <RecordPage key={`${entity}/${id}`} entity={entity} id={id} />;
}
