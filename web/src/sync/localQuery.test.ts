import { describe, expect, it } from 'vitest';
import type { FieldKind } from '../api/entities';
import type { AnyRecord } from '../api/types';
import { indexTerms } from '../lib/searchTerms';
import { runListQuery, type LocalRow } from './localQuery';

const KINDS: Record<string, FieldKind> = {
  name: 'text', tags: 'tags', phones: 'phones', due_at: 'datetime', amount_minor: 'money', status: 'choice', do_not_contact: 'boolean',
};
const ctx = {
  kindOf: (f: string) => KINDS[f],
  timeZone: 'Asia/Shanghai',
  teamOf: (u: string) => (u === 'u1' ? 't1' : null),
};

function row(id: string, extra: Record<string, unknown>): LocalRow {
  const record = {
    id, version: 1, owner_id: 'u1', created_at: `2026-11-0${id.length}T00:00:00.000Z`, deleted_at: null, custom: {}, ...extra,
  } as unknown as AnyRecord;
  const terms: string[] = [];
  if (typeof record.name === 'string') indexTerms(record.name, 'words', terms);
  for (const p of (record.phones as string[] | undefined) ?? []) indexTerms(p, 'phone', terms);
  return { record, terms };
}

const rows = [
  row('a', { name: '王小明', tags: ['VIP'], phones: ['+86 138 0013 8000'], amount_minor: 500, status: 'open', due_at: '2026-12-01T15:30:00.000Z' }),
  row('bb', { name: 'Zhang Wei', tags: [], amount_minor: 1500, status: 'won', due_at: '2026-12-01T16:30:00.000Z', owner_id: 'u2' }),
  row('ccc', { name: '李娜', tags: ['vip', 'new'], amount_minor: null, status: 'open', due_at: null, do_not_contact: true }),
  row('dddd', { name: 'Deleted', deleted_at: '2026-11-30T00:00:00.000Z', status: 'open' }),
];
const ids = (q: Record<string, string>) => runListQuery(rows, q, ctx).data.map((r) => r.id);

describe('lists answered on the device', () => {
  it('filters as the server does', () => {
    expect(ids({ status: 'open', sort: 'name' })).toEqual(['ccc', 'a']); // 李 (U+674E) before 王 (U+738B)
    expect(ids({ 'status[ne]': 'open' })).toEqual(['bb']);
    expect(ids({ 'status[in]': 'won,lost' })).toEqual(['bb']);
    expect(ids({ tags: 'vip', sort: 'name' })).toEqual(['ccc', 'a']); // contains, case aside
    expect(ids({ 'amount_minor[gte]': '1000' })).toEqual(['bb']);
    expect(ids({ 'amount_minor[null]': 'true' })).toEqual(['ccc']);
    expect(ids({ do_not_contact: 'true' })).toEqual(['ccc']);
    expect(ids({ owner_team_id: 't1', sort: 'name' })).toEqual(['ccc', 'a']);
    expect(ids({ 'owner_team_id[null]': 'true' })).toEqual(['bb']);
  });

  it('reads a date-time without an offset in the user\'s time zone', () => {
    // 2026-12-02 00:00 in Shanghai is 2026-12-01T16:00Z.
    expect(ids({ 'due_at[lt]': '2026-12-02' })).toEqual(['a']);
    expect(ids({ 'due_at[lt]': '2026-12-01T17:00:00.000Z', sort: 'due_at' })).toEqual(['a', 'bb']);
  });

  it('searches with the server\'s folding: any part of a Chinese name, a phone by its tail', () => {
    expect(ids({ q: '小明' })).toEqual(['a']);
    expect(ids({ q: '8000' })).toEqual(['a']);
    expect(ids({ q: 'ZHANG' })).toEqual(['bb']);
    expect(ids({ q: 'nobody' })).toEqual([]);
  });

  it('sorts with nothing last either way, pages with a cursor of its own, counts the whole set', () => {
    expect(ids({ sort: 'amount_minor' })).toEqual(['a', 'bb', 'ccc']);
    expect(ids({ sort: '-amount_minor' })).toEqual(['bb', 'a', 'ccc']);
    const first = runListQuery(rows, { limit: '2', sort: 'name' }, ctx);
    expect(first.total).toBe(3);
    expect(first.next_cursor).toBeTruthy();
    const second = runListQuery(rows, { limit: '2', sort: 'name', cursor: first.next_cursor! }, ctx);
    expect([...first.data, ...second.data].map((r) => r.id)).toEqual(['a', 'ccc', 'bb'].sort((x, y) => {
      const n = (id: string) => rows.find((r) => r.record.id === id)!.record.name as string;
      return n(x) < n(y) ? -1 : 1;
    }));
    expect(second.next_cursor).toBeNull();
  });

  it('lists the trash only when asked', () => {
    expect(ids({ trashed: 'true' })).toEqual(['dddd']);
    expect(ids({})).not.toContain('dddd');
  });
});
