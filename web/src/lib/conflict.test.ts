import { describe, expect, it } from 'vitest';
import type { AnyRecord } from '../api/types';
import { conflictRows, diffPatch, keepMine, patchToBody, sameValue } from './conflict';

const base = {
  id: 'r1', version: 3, owner_id: 'u1', created_at: '', created_by: null, updated_at: '', updated_by: 'u1',
  deleted_at: null, deleted_by: null, custom: { size: '12.50', tier: 'gold' },
  name: '明远科技', city: '上海', phone: '+86 21 5555 0110', tags: ['vip'], industry: null,
} as unknown as AnyRecord;

describe('edit patches', () => {
  it('holds only changed fields, treating empty text, [] and null alike', () => {
    const patch = diffPatch(base, { name: '明远科技有限公司', city: '上海', industry: '', tags: ['vip'], 'custom.size': '13' });
    expect(patch).toEqual({ name: '明远科技有限公司', 'custom.size': '13' });
  });
  it('sends custom values merged into the whole custom object', () => {
    expect(patchToBody({ name: 'x', 'custom.size': '13', 'custom.tier': null }, base.custom)).toEqual({ name: 'x', custom: { size: '13' } });
  });
  it('compares arrays and objects by value', () => {
    expect(sameValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameValue('', null)).toBe(true);
    expect(sameValue(0, null)).toBe(false);
  });
});

describe('version conflicts', () => {
  const theirs = { ...base, version: 4, updated_by: 'u2', city: '北京', phone: '+86 10 1234 5678', custom: { size: '12.50', tier: 'silver' } } as AnyRecord;

  it('lists my fields first, then theirs, marking real clashes', () => {
    const rows = conflictRows(base, { city: '杭州', name: '明远' }, theirs);
    expect(rows.map((r) => r.field)).toEqual(['city', 'name', 'phone', 'custom.tier']);
    const city = rows.find((r) => r.field === 'city')!;
    expect(city).toMatchObject({ mine: '杭州', theirs: '北京', editedByMe: true, changedByThem: true, clash: true });
    const name = rows.find((r) => r.field === 'name')!;
    expect(name).toMatchObject({ mine: '明远', theirs: '明远科技', clash: false, changedByThem: false });
    const phone = rows.find((r) => r.field === 'phone')!;
    expect(phone).toMatchObject({ editedByMe: false, changedByThem: true, mine: '+86 21 5555 0110' });
    expect(rows.find((r) => r.field === 'custom.tier')).toMatchObject({ mine: 'gold', theirs: 'silver' });
  });
  it('does not call the same change on both sides a clash', () => {
    const rows = conflictRows(base, { city: '北京' }, theirs);
    expect(rows.find((r) => r.field === 'city')!.clash).toBe(false);
  });
  it('keep mine: my fields on top of the saved version, If-Match on the saved version', () => {
    const r = keepMine({ city: '杭州', 'custom.size': '20' }, theirs);
    expect(r.version).toBe(4);
    // Their custom change (tier) survives; only my field is written.
    expect(r.body).toEqual({ city: '杭州', custom: { size: '20', tier: 'silver' } });
  });
});
