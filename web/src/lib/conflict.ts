// Version conflicts (412): the user edited version N, someone else saved N+1 meanwhile. Nothing
// is ever overwritten silently: the screen shows, field by field, what the user typed and
// what is saved now, and the user picks. These pure functions compute that comparison and the
// request that "keep mine" sends.
import type { AnyRecord } from '../api/types';

// A patch holds only the fields the user changed; custom field values use "custom.<name>".
export type Patch = Record<string, unknown>;

export function valueAt(record: AnyRecord | Record<string, unknown>, key: string): unknown {
  if (key.startsWith('custom.')) {
    const custom = (record as { custom?: Record<string, unknown> }).custom ?? {};
    return custom[key.slice(7)] ?? null;
  }
  return (record as Record<string, unknown>)[key] ?? null;
}

// Empty text, empty lists and null mean the same thing to a person.
function normalize(v: unknown): unknown {
  if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return null;
  return v;
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stable(normalize(a)) === stable(normalize(b));
}

// The fields of `edited` (form values, custom values under "custom.<name>") that differ from
// the record as loaded.
export function diffPatch(base: AnyRecord, edited: Record<string, unknown>): Patch {
  const patch: Patch = {};
  for (const [key, value] of Object.entries(edited)) {
    if (!sameValue(valueAt(base, key), value)) patch[key] = normalize(value);
  }
  return patch;
}

// The JSON body for PATCH: plain fields as they are, custom values merged into the record's
// whole custom object (the server replaces `custom` as one value).
export function patchToBody(patch: Patch, currentCustom: Record<string, unknown> | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  let custom: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('custom.')) {
      custom ??= { ...(currentCustom ?? {}) };
      if (value === null) delete custom[key.slice(7)];
      else custom[key.slice(7)] = value;
    } else body[key] = value;
  }
  if (custom) body.custom = custom;
  return body;
}

export interface ConflictRow {
  field: string;
  mine: unknown; // what the user typed, or the value they loaded when they did not touch it
  theirs: unknown; // saved now
  editedByMe: boolean;
  changedByThem: boolean;
  clash: boolean; // both changed it, to different values
}

const SYSTEM = new Set(['version', 'updated_at', 'updated_by', 'created_at', 'created_by', 'id']);

// Every field either side changed, mine first.
export function conflictRows(base: AnyRecord, patch: Patch, theirs: AnyRecord): ConflictRow[] {
  const keys = new Set<string>(Object.keys(patch));
  for (const key of Object.keys(theirs)) {
    if (SYSTEM.has(key) || key === 'custom') continue;
    if (!sameValue(valueAt(base, key), valueAt(theirs, key))) keys.add(key);
  }
  const customKeys = new Set([...Object.keys(base.custom ?? {}), ...Object.keys(theirs.custom ?? {})]);
  for (const name of customKeys) {
    const key = `custom.${name}`;
    if (!sameValue(valueAt(base, key), valueAt(theirs, key))) keys.add(key);
  }
  return [...keys].map((field) => {
    const editedByMe = field in patch;
    const mine = editedByMe ? patch[field] : valueAt(base, field);
    const theirsValue = valueAt(theirs, field);
    const changedByThem = !sameValue(valueAt(base, field), theirsValue);
    return {
      field,
      mine,
      theirs: theirsValue,
      editedByMe,
      changedByThem,
      clash: editedByMe && changedByThem && !sameValue(mine, theirsValue),
    };
  }).sort((a, b) => Number(b.editedByMe) - Number(a.editedByMe));
}

// "Keep mine": apply the user's fields on top of the saved version, with If-Match set to the
// saved version, so a third writer in between is caught again rather than overwritten.
export function keepMine(patch: Patch, theirs: AnyRecord): { body: Record<string, unknown>; version: number } {
  return { body: patchToBody(patch, theirs.custom), version: theirs.version };
}
