// Bulk actions through the server's POST /api/v1/{entity}/bulk: the selection goes in requests
// of up to 200 ids, each with the version the user saw (checked like If-Match, so a bulk edit
// never overwrites a change the user has not seen). The server acts on every record on its own
// and reports each outcome: a reassignment where 3 of 50 deals changed meanwhile gives 47 done
// and 3 reasons.
import { api } from '../../api/client';
import { errorMessage, fieldErrorMessage } from '../../api/errorMessages';
import { ApiError, problemToError } from '../../api/errors';
import type { AnyRecord, EntityName } from '../../api/types';
import { fieldLabel } from '../../i18n/labels';
import { chunked } from '../../lib/batch';

export const MAX_BULK_IDS = 200;

export type BulkAction = 'update' | 'delete' | 'restore';

export interface BulkOutcome<T> {
  item: T;
  error?: unknown;
  record?: AnyRecord; // the record as saved, when the action succeeded
}

interface BulkAnswer {
  succeeded: number;
  failed: number;
  results: { id: string; status: number; code?: string; errors?: unknown[]; record?: AnyRecord }[];
}

type Post = <T>(path: string, body: unknown) => Promise<T>;

export async function runBulk<T extends { id: string; version: number }>(
  entity: EntityName,
  action: BulkAction,
  items: T[],
  changes?: Record<string, unknown>,
  post: Post = api.post,
): Promise<BulkOutcome<T>[]> {
  const out: BulkOutcome<T>[] = [];
  // One request after another: the server writes each record in its own transaction anyway,
  // and a selection of 1,000 should not become five requests competing with the user's others.
  for (const part of chunked(items, MAX_BULK_IDS)) {
    const body = { action, ids: part.map((r) => ({ id: r.id, version: r.version })), ...(changes ? { changes } : {}) };
    try {
      const answer = await post<BulkAnswer>(`/api/v1/${entity}/bulk`, body);
      const byId = new Map(answer.results.map((r) => [r.id, r]));
      for (const item of part) {
        const r = byId.get(item.id);
        if (r && r.status < 300) out.push({ item, record: r.record });
        else out.push({ item, error: r ? problemToError(r.status, r, null) : new ApiError({ status: 500, code: 'internal_error' }) });
      }
    } catch (error) {
      // The request as a whole was refused or lost (offline, no permission): none of its
      // records was changed.
      out.push(...part.map((item) => ({ item, error })));
    }
  }
  return out;
}

// Why one record was not done, in the user's language: the error's message, and for a rejected
// field (an owner the record may not get, say) which field and why.
export function bulkFailureReason(entity: EntityName, error: unknown): string {
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  if (fields.length === 0) return errorMessage(error);
  return fields.map((f) => `${fieldLabel(entity, f.field)}: ${fieldErrorMessage(f.code)}`).join('; ');
}
