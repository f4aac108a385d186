// What a record looks like on the device: the server's state with the device's waiting
// mutations applied in order. The few values the server computes on a write (a person's
// name, a task's completion time, an activity's time) are computed the same way here, so a
// record made offline reads as it will once it arrives; the server's answer then replaces them.
import type { AnyRecord } from '../api/types';
import type { Mutation } from './protocol';

export interface Author {
  userId: string;
  now: string; // ISO instant of the change
}

// Family name first with no space for names in CJK scripts (service/rules/person_rules.cc).
const CJK = /^[\u1100-\u11FF\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\u{20000}-\u{3134F}]/u;

export function personName(first: unknown, last: unknown): string {
  const f = typeof first === 'string' ? first : '';
  const l = typeof last === 'string' ? last : '';
  if (!f || !l) return f + l;
  return CJK.test(l) ? l + f : `${f} ${l}`;
}

function computed(entity: string, r: AnyRecord, before: AnyRecord | null, at: string): AnyRecord {
  const out = { ...r };
  if (entity === 'contacts' || entity === 'leads') out.name = personName(out.first_name, out.last_name);
  if (entity === 'tasks') {
    const done = out.status === 'done';
    if (done && before?.status !== 'done') out.completed_at = at;
    if (!done) out.completed_at = null;
  }
  if (entity === 'activities' && (out.occurred_at === undefined || out.occurred_at === null)) out.occurred_at = out.created_at;
  return out;
}

// A change's fields over a record: custom fields merge member by member.
export function withFields(record: AnyRecord, fields: Record<string, unknown>): AnyRecord {
  const out: AnyRecord = { ...record };
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'custom' && v && typeof v === 'object') out.custom = { ...(record.custom ?? {}), ...(v as Record<string, unknown>) };
    else if (k !== 'id' && k !== 'version') out[k] = v;
  }
  return out;
}

// One mutation over the record as the device has it (null: none, or deleted for good).
export function applyMutation(record: AnyRecord | null, m: Mutation, who: Author): AnyRecord | null {
  const stamp = { updated_at: who.now, updated_by: who.userId };
  switch (m.op) {
    case 'create': {
      if (record) return record; // a replayed create: the record is there already
      const base = {
        id: m.record_id, version: 0, owner_id: who.userId, created_at: who.now, created_by: who.userId,
        deleted_at: null, deleted_by: null, custom: {}, ...stamp,
      } as AnyRecord;
      return computed(m.entity, withFields(base, m.fields ?? {}), null, who.now);
    }
    case 'update':
      return record ? computed(m.entity, { ...withFields(record, m.fields ?? {}), ...stamp }, record, who.now) : null;
    case 'delete':
      return record ? { ...record, deleted_at: who.now, deleted_by: who.userId, ...stamp } : null;
    case 'restore':
      return record ? { ...record, deleted_at: null, deleted_by: null, ...stamp } : null;
    case 'convert':
      return record ? { ...record, status: 'converted', converted_at: who.now, ...stamp } : null;
  }
}

// The device's view: `server` with every waiting mutation for the record applied in order.
export function rebase(server: AnyRecord | null, pending: readonly { mutation: Mutation; queuedAt: string }[], userId: string): AnyRecord | null {
  let r = server;
  for (const p of pending) r = applyMutation(r, p.mutation, { userId, now: p.queuedAt });
  return r;
}
