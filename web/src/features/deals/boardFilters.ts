// The pipeline board's filters, as they live in the address (so a filtered board can be
// bookmarked) and as the API reads them (GET /api/v1/deals and /pipelines/{id}/summary take the
// same parameters). Address names are short and stable:
//   owner=USER  team=TEAM  close=this_month|this_quarter|overdue  from=YYYY-MM-DD  to=YYYY-MM-DD
//   tag=vip&tag=renewal (each one must be on the deal)
// A quick close choice is turned into dates when the request is made, in the user's time zone,
// so a bookmarked "this month" is always the current month.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const CLOSE_CHOICES = ['this_month', 'this_quarter', 'overdue'] as const;
export type CloseChoice = (typeof CLOSE_CHOICES)[number];

export interface BoardFilters {
  owner?: string;
  team?: string;
  close?: CloseChoice;
  from?: string;
  to?: string;
  tags: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FILTER_KEYS = ['owner', 'team', 'close', 'from', 'to', 'tag'];

export function readBoardFilters(search: URLSearchParams): BoardFilters {
  const close = search.get('close');
  const date = (k: string) => {
    const v = search.get(k);
    return v && DATE.test(v) ? v : undefined;
  };
  return {
    owner: search.get('owner') || undefined,
    team: search.get('team') || undefined,
    close: (CLOSE_CHOICES as readonly string[]).includes(close ?? '') ? (close as CloseChoice) : undefined,
    // A quick choice and a range exclude each other: the choice wins.
    from: close ? undefined : date('from'),
    to: close ? undefined : date('to'),
    tags: [...new Set(search.getAll('tag').filter(Boolean))],
  };
}

// The address with `filters` in place of the board's old ones; other parameters (the pipeline)
// are kept.
export function writeBoardFilters(search: URLSearchParams, filters: BoardFilters): URLSearchParams {
  const next = new URLSearchParams();
  for (const [k, v] of search) if (!FILTER_KEYS.includes(k)) next.append(k, v);
  if (filters.owner) next.set('owner', filters.owner);
  if (filters.team) next.set('team', filters.team);
  if (filters.close) next.set('close', filters.close);
  else {
    if (filters.from) next.set('from', filters.from);
    if (filters.to) next.set('to', filters.to);
  }
  for (const tag of filters.tags) next.append('tag', tag);
  return next;
}

export function hasBoardFilters(f: BoardFilters): boolean {
  return Boolean(f.owner || f.team || f.close || f.from || f.to || f.tags.length);
}

// The API's filter parameters, in a stable order (they are part of query keys).
export function boardApiParams(f: BoardFilters, tz: string, now: Date = new Date()): [string, string][] {
  const out: [string, string][] = [];
  if (f.owner) out.push(['owner_id', f.owner]);
  if (f.team) out.push(['owner_team_id', f.team]);
  const today = dayjs(now).tz(tz).startOf('day');
  const ymd = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');
  let from = f.from, to = f.to;
  if (f.close === 'this_month') {
    from = ymd(today.startOf('month'));
    to = ymd(today.endOf('month'));
  } else if (f.close === 'this_quarter') {
    const start = today.startOf('month').subtract(today.month() % 3, 'month');
    from = ymd(start);
    to = ymd(start.add(2, 'month').endOf('month'));
  } else if (f.close === 'overdue') {
    // Still open and meant to have closed before today (the user's today).
    out.push(['expected_close_date[lt]', ymd(today)], ['status', 'open']);
  }
  if (from) out.push(['expected_close_date[gte]', from]);
  if (to) out.push(['expected_close_date[lte]', to]);
  for (const tag of f.tags) out.push(['tags', tag]);
  return out;
}
