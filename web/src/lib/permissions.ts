// What the signed-in user's role allows, so screens hide actions the server would refuse. The
// server still checks every request; this only keeps buttons honest.
import type { EntityPermissions, Me, Scope, Team, User } from '../api/types';

export type Action = 'read' | 'update' | 'delete';

const NONE: EntityPermissions = { read: 'none', create: false, update: 'none', delete: 'none', export: false };

export function entityPermissions(me: Me | null | undefined, entity: string): EntityPermissions {
  return me?.permissions.entities[entity] ?? NONE;
}

export interface Org {
  users: User[];
  teams: Team[];
}

// Does a scope cover a record owned by ownerId? "team" covers the user's own team and teams
// they manage (README: users, roles and teams).
export function scopeCovers(scope: Scope, me: Me, ownerId: string | null | undefined, org: Org): boolean {
  switch (scope) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'own':
      return ownerId === me.id;
    case 'team': {
      if (ownerId === me.id) return true;
      const owner = org.users.find((u) => u.id === ownerId);
      if (!owner?.team_id) return false;
      if (owner.team_id === me.team_id) return true;
      return org.teams.some((t) => t.id === owner.team_id && t.manager_id === me.id);
    }
  }
}

export function canCreate(me: Me | null | undefined, entity: string): boolean {
  return entityPermissions(me, entity).create;
}

// CSV export is allowed or not for the whole entity; the rows are still limited to what the
// user may read.
export function canExport(me: Me | null | undefined, entity: string): boolean {
  return entityPermissions(me, entity).export;
}

// Without a record: may the user do this to any record of the entity at all (for list
// toolbars). With one: may they do it to this record.
export function can(me: Me | null | undefined, entity: string, action: Action, record?: { owner_id: string }, org?: Org): boolean {
  if (!me) return false;
  const scope = entityPermissions(me, entity)[action];
  if (!record) return scope !== 'none';
  return scopeCovers(scope, me, record.owner_id, org ?? { users: [], teams: [] });
}
