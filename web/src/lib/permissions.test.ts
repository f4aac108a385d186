import { describe, expect, it } from 'vitest';
import type { Me, Team, User } from '../api/types';
import { can, canCreate, canExport } from './permissions';

const user = (id: string, team_id: string | null): User => ({
  id, email: `${id}@x`, name: id, role_id: 'sales', team_id, locale: 'en', time_zone: 'UTC', active: true, version: 1, created_at: '', updated_at: '',
});
const me = (perms: Me['permissions'], team_id: string | null = 't1'): Me => ({ ...user('me', team_id), permissions: perms });
const org = { users: [user('me', 't1'), user('mate', 't1'), user('other', 't2'), user('managed', 't3')], teams: [{ id: 't3', name: 'T3', manager_id: 'me', version: 1 } as Team] };

describe('permissions', () => {
  const sales = me({ admin: false, entities: { deals: { read: 'team', create: true, update: 'own', delete: 'own', export: false }, accounts: { read: 'team', create: false, update: 'none', delete: 'none', export: false } } });

  it('hides actions whose scope is none', () => {
    expect(can(sales, 'accounts', 'delete')).toBe(false);
    expect(can(sales, 'accounts', 'read')).toBe(true);
    expect(can(sales, 'orders', 'read')).toBe(false); // not in the role at all
    expect(canCreate(sales, 'accounts')).toBe(false);
    expect(canCreate(sales, 'deals')).toBe(true);
  });
  it('checks own scope against the owner', () => {
    expect(can(sales, 'deals', 'delete', { owner_id: 'me' }, org)).toBe(true);
    expect(can(sales, 'deals', 'delete', { owner_id: 'mate' }, org)).toBe(false);
  });
  it('team scope covers the team and teams the user manages', () => {
    expect(can(sales, 'deals', 'read', { owner_id: 'mate' }, org)).toBe(true);
    expect(can(sales, 'deals', 'read', { owner_id: 'managed' }, org)).toBe(true);
    expect(can(sales, 'deals', 'read', { owner_id: 'other' }, org)).toBe(false);
  });
  it('export is a yes/no per entity', () => {
    const manager = me({ admin: false, entities: { deals: { read: 'team', create: true, update: 'team', delete: 'team', export: true } } });
    expect(canExport(manager, 'deals')).toBe(true);
    expect(canExport(manager, 'accounts')).toBe(false); // not in the role at all
    expect(canExport(sales, 'deals')).toBe(false);
  });
  it('a signed-out user can do nothing', () => {
    expect(can(null, 'deals', 'read')).toBe(false);
    expect(canExport(null, 'deals')).toBe(false);
  });
});
