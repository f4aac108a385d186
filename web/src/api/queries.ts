// Shared server-state hooks (TanStack Query). Reference data (users, teams, roles, pipelines,
// custom fields) changes rarely and is cached for minutes; records are fetched fresh.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  AnyRecord, CustomField, EntityName, HistoryEntry, ListPage, Pipeline, Role, StageChange, StageSummary, Team, User,
} from './types';

const REFERENCE_STALE_MS = 5 * 60 * 1000;

export const keys = {
  me: ['me'] as const,
  users: ['users'] as const,
  teams: ['teams'] as const,
  roles: ['roles'] as const,
  pipelines: ['pipelines'] as const,
  customFields: ['custom-fields'] as const,
  meta: ['meta', 'entities'] as const,
  list: (entity: string, params: Record<string, string>) => ['list', entity, params] as const,
  listAll: (entity: string) => ['list', entity] as const,
  // Under the deals' lists, so whatever refreshes them (a move, an edit) refreshes the totals.
  pipelineSummary: (pipelineId: string, params: [string, string][]) =>
    ['list', 'deals', 'pipeline-summary', pipelineId, params] as const,
  record: (entity: string, id: string) => ['record', entity, id] as const,
  history: (entity: string, id: string) => ['history', entity, id] as const,
};

export function useUsers() {
  return useQuery({
    queryKey: keys.users,
    queryFn: () => api.get<{ data: User[] }>('/api/v1/users').then((r) => r.data),
    staleTime: REFERENCE_STALE_MS,
  });
}

export function useTeams() {
  return useQuery({
    queryKey: keys.teams,
    queryFn: () => api.get<{ data: Team[] }>('/api/v1/teams').then((r) => r.data),
    staleTime: REFERENCE_STALE_MS,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: keys.roles,
    queryFn: () => api.get<{ data: Role[] }>('/api/v1/roles').then((r) => r.data),
    staleTime: REFERENCE_STALE_MS,
  });
}

export function usePipelines() {
  return useQuery({
    queryKey: keys.pipelines,
    queryFn: () =>
      api.get<ListPage<Pipeline>>('/api/v1/pipelines', { query: { sort: 'position', limit: 200 } }).then((r) => r.data),
    staleTime: REFERENCE_STALE_MS,
  });
}

// Also used directly where a screen needs the definitions as they are now (after a conflict).
export const fetchCustomFields = () => api.get<{ data: CustomField[] }>('/api/v1/custom-fields').then((r) => r.data);

export function useCustomFields(entity?: EntityName) {
  return useQuery({
    queryKey: keys.customFields,
    queryFn: fetchCustomFields,
    staleTime: REFERENCE_STALE_MS,
    select: (all) => (entity ? all.filter((cf) => cf.entity === entity) : all),
  });
}

// One page of a list: the query key and how to load it, shared by useList and prefetching.
export function listQuery<T = AnyRecord>(entity: EntityName, params: Record<string, string>) {
  return {
    queryKey: keys.list(entity, params),
    queryFn: ({ signal }: { signal?: AbortSignal }) => api.get<ListPage<T>>(`/api/v1/${entity}`, { query: params, signal }),
  };
}

export function useList<T = AnyRecord>(entity: EntityName, params: Record<string, string>, enabled = true) {
  return useQuery({ ...listQuery<T>(entity, params), placeholderData: keepPreviousData, enabled });
}

// Starts loading a page the user is about to open (pointer over "Next", or the click itself,
// which would otherwise wait for the next render's effects to send the request). A page still
// fresh (the client's staleTime) is not asked again, and the list then shows it from the cache.
export function usePrefetchList() {
  const client = useQueryClient();
  return (entity: EntityName, params: Record<string, string>) =>
    void client.prefetchQuery(listQuery(entity, params));
}

export function useRecord<T = AnyRecord>(entity: EntityName, id: string | undefined) {
  return useQuery({
    queryKey: keys.record(entity, id ?? ''),
    queryFn: ({ signal }) => api.get<T>(`/api/v1/${entity}/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useHistory(entity: EntityName, id: string) {
  return useQuery({
    queryKey: keys.history(entity, id),
    queryFn: () => api.get<{ data: HistoryEntry[] }>(`/api/v1/${entity}/${id}/history`).then((r) => r.data),
  });
}

export function useStageHistory(dealId: string) {
  return useQuery({
    queryKey: ['stage-history', dealId],
    queryFn: () => api.get<{ data: StageChange[] }>(`/api/v1/deals/${dealId}/stage-history`).then((r) => r.data),
  });
}

// Per stage of a pipeline, the count and totals of every matching deal the caller may read,
// counted by the server (never summed from the cards a column loaded).
export function usePipelineSummary(pipelineId: string | undefined, params: [string, string][]) {
  return useQuery<StageSummary[]>({
    queryKey: keys.pipelineSummary(pipelineId ?? '', params),
    queryFn: ({ signal }) =>
      api.get<{ data: StageSummary[] }>(`/api/v1/pipelines/${pipelineId}/summary`, { query: new URLSearchParams(params), signal })
        .then((r) => r.data),
    enabled: Boolean(pipelineId),
    placeholderData: keepPreviousData, // the old totals until the new ones arrive
  });
}
