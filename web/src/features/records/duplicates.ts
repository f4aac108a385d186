// Records (of an entity with `emails` and `phones` lists: contacts) that already hold an email or
// phone being entered: found through the list's search
// (so only records the caller may read ever come back, and an unreadable match leaks nothing),
// then matched exactly here, since search also finds prefixes and other words.
import { api } from '../../api/client';
import type { AnyRecord, EntityName } from '../../api/types';

// Digits only, as the server indexes phones (core/text.cc).
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

// One number written two ways: "+86 138 0013 8000" and "138-0013-8000" are the same phone when the
// shorter's digits, at least seven of them, end the longer's (a country or trunk prefix dropped).
export function samePhone(a: string, b: string): boolean {
  const da = phoneDigits(a), db = phoneDigits(b);
  const [shorter, longer] = da.length <= db.length ? [da, db] : [db, da];
  return shorter.length >= 7 && longer.endsWith(shorter);
}

export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export interface DuplicateMatch {
  record: AnyRecord;
  by: 'email' | 'phone';
}

// The search text for a phone: its last eight digits, a tail the server indexes.
const phoneQuery = (p: string) => phoneDigits(p).slice(-8);

export async function findDuplicates(entity: EntityName, emails: string[], phones: string[]): Promise<DuplicateMatch[]> {
  const out: DuplicateMatch[] = [];
  const seen = new Set<string>();
  const ask = async (q: string, by: DuplicateMatch['by'], hit: (r: AnyRecord) => boolean) => {
    const page = await api.get<{ data: AnyRecord[] }>(`/api/v1/${entity}?${new URLSearchParams({ q, limit: '20' }).toString()}`);
    for (const r of page.data)
      if (!seen.has(r.id as string) && hit(r)) {
        seen.add(r.id as string);
        out.push({ record: r, by });
      }
  };
  for (const e of emails.filter((x) => x.trim()))
    await ask(e.trim(), 'email', (r) => ((r.emails as string[] | null) ?? []).some((x) => sameEmail(x, e)));
  for (const p of phones.filter((x) => phoneDigits(x).length >= 7))
    await ask(phoneQuery(p), 'phone', (r) => ((r.phones as string[] | null) ?? []).some((x) => samePhone(x, p)));
  return out;
}
