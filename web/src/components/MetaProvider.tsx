// Loads the server's entity definitions after sign-in (GET /api/v1/meta/entities) and keeps
// them on the device, so the last known ones are shown at once and kept while the server is
// away, and refreshed in the background when it answers. Screens read them with useEntityMeta, which
// also re-renders them when the definitions change (an administrator added a custom field).
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { api } from '../api/client';
import {
  loadCachedMeta, saveCachedMeta, setMetadata, type EntityMeta, type EntityTables, type MetaDocument,
} from '../api/meta';
import { keys } from '../api/queries';
import type { EntityName } from '../api/types';
import { useMe } from '../auth/session';
import { BootError, FullPageSpinner } from './PageStates';

const REFRESH_MS = 5 * 60 * 1000;
const storage = () => (typeof localStorage === 'undefined' ? undefined : localStorage);

const MetaContext = createContext<EntityTables | null>(null);

export function MetaProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const cached = useMemo(() => loadCachedMeta(storage(), me.id), [me.id]);
  const { data, error, refetch } = useQuery({
    queryKey: keys.meta,
    queryFn: ({ signal }) => api.get<MetaDocument>('/api/v1/meta/entities', { signal }),
    initialData: cached,
    initialDataUpdatedAt: 0, // a cached copy is shown at once but always refreshed
    staleTime: REFRESH_MS,
  });
  // Set before the children render, so code outside React (record titles) sees the same tables.
  const tables = useMemo(() => (data ? setMetadata(data) : null), [data]);
  useEffect(() => {
    if (data && data !== cached) saveCachedMeta(storage(), me.id, data);
  }, [data, cached, me.id]);

  if (!tables) return error ? <BootError error={error} onRetry={() => void refetch()} /> : <FullPageSpinner />;
  return <MetaContext.Provider value={tables}>{children}</MetaContext.Provider>;
}

export function useEntities(): EntityTables {
  const tables = useContext(MetaContext);
  if (!tables) throw new Error('useEntities outside MetaProvider');
  return tables;
}

export function useEntityMeta(entity: EntityName): EntityMeta {
  return useEntities()[entity];
}
