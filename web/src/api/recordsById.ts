// Linked records by id, many per request: a list of 50 deals names its accounts with one
// GET /api/v1/accounts?id[in]=... instead of 50 single reads. The list applies the same read
// permission as a single read, so a record missing from the answer is one the user may not see
// (or that is gone): it becomes a not_found error, as its own GET would have answered.
import { createBatcher } from '../lib/batch';
import { api } from './client';
import { ApiError } from './errors';
import type { AnyRecord, EntityName, ListPage } from './types';

export const MAX_IDS_PER_LIST = 200; // the server's limit for id[in] and for limit

type Get = <T>(path: string, opts?: { query?: Record<string, string> }) => Promise<T>;

export async function fetchRecordsById(entity: EntityName, ids: string[], get: Get = api.get): Promise<Map<string, AnyRecord>> {
  const page = await get<ListPage<AnyRecord>>(`/api/v1/${entity}`, {
    query: { 'id[in]': ids.join(','), limit: String(ids.length) },
  });
  return new Map(page.data.map((r) => [r.id, r]));
}

const loaders = new Map<EntityName, (id: string) => Promise<AnyRecord | undefined>>();

export async function loadRecord(entity: EntityName, id: string): Promise<AnyRecord> {
  let load = loaders.get(entity);
  if (!load) {
    load = createBatcher((ids) => fetchRecordsById(entity, ids), { maxSize: MAX_IDS_PER_LIST });
    loaders.set(entity, load);
  }
  const record = await load(id);
  if (!record) throw new ApiError({ status: 404, code: 'not_found' });
  return record;
}
