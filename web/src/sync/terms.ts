// What the replica needs from the entity definitions: each record's search terms (the fields the
// server searches, folded and cut by the server's rules: lib/searchTerms.ts), and what this
// device is called on the administrators' devices page.
import { entityMeta } from '../api/meta';
import type { AnyRecord, EntityName } from '../api/types';
import { indexTerms, type TermKind } from '../lib/searchTerms';
import type { ReplicaEntity } from './protocol';

const PEOPLE_FIELDS: Record<string, TermKind> = { name: 'words', email: 'email' };

function kindOfTerm(kind: string): TermKind {
  if (kind === 'email' || kind === 'emails') return 'email';
  if (kind === 'phone' || kind === 'phones') return 'phone';
  return 'words';
}

export function termsOf(entity: ReplicaEntity, record: AnyRecord): string[] {
  const fields: [string, TermKind][] = entity === 'users' || entity === 'teams'
    ? Object.entries(PEOPLE_FIELDS)
    : entityMeta(entity as EntityName).fields.filter((f) => f.searchable).map((f) => [f.name, kindOfTerm(f.kind)]);
  const out: string[] = [];
  for (const [name, kind] of fields) {
    const v = record[name];
    for (const s of Array.isArray(v) ? v : [v]) if (typeof s === 'string' && s) indexTerms(s, kind, out);
  }
  return [...new Set(out)];
}

// "Chrome on Android", "Safari on iPhone": enough for an administrator to tell devices apart.
export function deviceName(ua: string = globalThis.navigator?.userAgent ?? ''): string {
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /iPhone/.test(ua) ? 'iPhone' : /iPad/.test(ua) ? 'iPad' : /Android/.test(ua) ? 'Android'
    : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'Mac' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}
