// Labels built from names the server uses (entities, fields, choices), looked up in the
// message tables with a readable fallback.
import { tr } from './index';
import { CUSTOM_PREFIX, entityMeta, type FieldMeta } from '../api/meta';
import type { EntityName } from '../api/types';

export function entityLabel(entity: string, plural = false): string {
  return tr(`entity.${entity}.${plural ? 'many' : 'one'}`, entity);
}

// A custom field ("custom.NAME") is labelled as its administrator named it.
export function fieldLabel(entity: string, field: string): string {
  if (field.startsWith(CUSTOM_PREFIX)) {
    const name = field.slice(CUSTOM_PREFIX.length);
    return entityMeta(entity as EntityName)?.custom.find((d) => d.name === name)?.label ?? name;
  }
  return tr(`fields.${entity}.${field}`, tr(`fields.common.${field}`, field));
}

export function choiceLabel(meta: Pick<FieldMeta, 'choiceGroup'> | undefined, value: string): string {
  if (!meta?.choiceGroup) return value;
  if (meta.choiceGroup === 'entities') return entityLabel(value);
  return tr(`choices.${meta.choiceGroup}.${value}`, value);
}

// Built-in roles have translated names and descriptions; custom roles show what the
// administrator typed.
export function roleName(role: { id: string; name: string; builtin?: boolean } | undefined, fallbackId = ''): string {
  if (!role) return fallbackId;
  return role.builtin ? tr(`admin.roles.builtinNames.${role.id}`, role.name) : role.name;
}

export function roleDescription(role: { id: string; description: string; builtin?: boolean }): string {
  return role.builtin ? tr(`admin.roles.builtinDescriptions.${role.id}`, role.description) : role.description;
}
