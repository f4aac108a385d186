import { describe, expect, it } from 'vitest';
import { boardApiParams, readBoardFilters, writeBoardFilters } from './boardFilters';

describe('board filters', () => {
  it('round-trips through the address and keeps the pipeline', () => {
    const f = { owner: 'u1', team: 't1', from: '2026-01-01', to: '2026-03-31', tags: ['vip', 'renewal'] };
    const url = writeBoardFilters(new URLSearchParams('pipeline=p1&owner=old'), f);
    expect(url.toString()).toBe('pipeline=p1&owner=u1&team=t1&from=2026-01-01&to=2026-03-31&tag=vip&tag=renewal');
    expect(readBoardFilters(url)).toEqual({ ...f, close: undefined });
  });

  it('ignores what it cannot read', () => {
    expect(readBoardFilters(new URLSearchParams('close=someday&from=tomorrow&tag=&tag=a&tag=a'))).toEqual({
      owner: undefined, team: undefined, close: undefined, from: undefined, to: undefined, tags: ['a'],
    });
  });

  it('turns quick choices into dates in the user\'s time zone', () => {
    // 2026-05-31 20:00 UTC is already 1 June in Shanghai.
    const now = new Date('2026-05-31T20:00:00Z');
    expect(boardApiParams({ close: 'this_month', tags: [] }, 'Asia/Shanghai', now)).toEqual([
      ['expected_close_date[gte]', '2026-06-01'], ['expected_close_date[lte]', '2026-06-30'],
    ]);
    expect(boardApiParams({ close: 'this_month', tags: [] }, 'UTC', now)).toEqual([
      ['expected_close_date[gte]', '2026-05-01'], ['expected_close_date[lte]', '2026-05-31'],
    ]);
    expect(boardApiParams({ close: 'this_quarter', tags: [] }, 'UTC', now)).toEqual([
      ['expected_close_date[gte]', '2026-04-01'], ['expected_close_date[lte]', '2026-06-30'],
    ]);
    expect(boardApiParams({ close: 'overdue', owner: 'u1', tags: ['vip'] }, 'UTC', now)).toEqual([
      ['owner_id', 'u1'], ['expected_close_date[lt]', '2026-05-31'], ['status', 'open'], ['tags', 'vip'],
    ]);
    expect(boardApiParams({ team: 't1', from: '2026-01-01', tags: [] }, 'UTC', now)).toEqual([
      ['owner_team_id', 't1'], ['expected_close_date[gte]', '2026-01-01'],
    ]);
  });
});
