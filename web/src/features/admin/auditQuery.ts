// The audit log screen's filters, as kept in the address and as sent to GET /api/v1/audit.
import dayjs from 'dayjs';

export const FILTERS = ['entity', 'action', 'user_id', 'record_id', 'from', 'to'] as const;
export type Filter = (typeof FILTERS)[number];
export const PAGE = 100;

// The query the server takes: dates become the start of the first day and of the day after the last.
export function auditQuery(params: URLSearchParams): Record<string, string> {
  const q: Record<string, string> = { limit: String(PAGE) };
  for (const f of FILTERS) {
    const v = params.get(f);
    if (!v) continue;
    if (f === 'from') q.from = `${v}T00:00`;
    else if (f === 'to') q.to = `${dayjs(v, 'YYYY-MM-DD').add(1, 'day').format('YYYY-MM-DD')}T00:00`;
    else q[f] = v;
  }
  return q;
}

