// What an edit of a custom field sends: only the editable settings that changed (name, type and
// entity are fixed: stored values are keyed by name and typed by type), with the version the
// administrator saw so a concurrent edit is caught (412) rather than overwritten.
import type { CustomField } from '../../api/types';

export type CustomFieldValues = Pick<CustomField, 'name' | 'label' | 'type'> &
  Partial<Pick<CustomField, 'options' | 'required' | 'max_length' | 'position'>>;

const EDITABLE = ['label', 'options', 'required', 'max_length', 'position'] as const;

export function customFieldPatch(field: CustomField, values: Partial<CustomFieldValues>): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  for (const key of EDITABLE) {
    // Only choice fields have options; the server refuses them on any other type.
    if (key === 'options' && field.type !== 'select') continue;
    const next = values[key];
    if (next === undefined || next === null) continue; // not on the form for this type
    if (JSON.stringify(next) !== JSON.stringify(field[key])) patch[key] = next;
  }
  return Object.keys(patch).length > 0 ? { ...patch, version: field.version } : null;
}
