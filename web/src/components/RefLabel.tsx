// Shows a linked record by its name, as a link; a user by their name. Names are fetched in
// batches (the labels of a whole list page in one request per entity, see recordsById.ts) and
// cached under the record's own query key, so a save that refreshes the record renames it here.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { keys, useUsers } from '../api/queries';
import { loadRecord } from '../api/recordsById';
import type { EntityName } from '../api/types';
import { recordTitle } from '../lib/recordTitle';

export function useRefTitle(entity: EntityName, id: string | null | undefined) {
  return useQuery({
    queryKey: keys.record(entity, id ?? ''),
    queryFn: () => loadRecord(entity, id!),
    enabled: !!id,
    staleTime: 60_000,
    retry: false,
    select: (r) => recordTitle(entity, r),
  });
}

export function RefLabel({ entity, id, link = true }: { entity: EntityName; id: string | null | undefined; link?: boolean }) {
  const { t } = useTranslation();
  const { data, isError } = useRefTitle(entity, id);
  if (!id) return null;
  const text = isError ? t('record.unknownRecord') : (data ?? '…');
  if (!link || isError || entity === 'pipelines') return <span>{text}</span>;
  return <Link to={`/${entity}/${id}`} onClick={(e) => e.stopPropagation()}>{text}</Link>;
}

export function UserName({ id }: { id: string | null | undefined }) {
  const { data } = useUsers();
  if (!id) return null;
  return <span>{data?.find((u) => u.id === id)?.name ?? '…'}</span>;
}
