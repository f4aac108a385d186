// Search terms as the server makes them (src/core/text.cc), for searching records on the device
// when it is offline: the same folding and the same cutting, so a search finds offline what it
// finds online. Both sides are checked against tests/vectors/search_terms.json.
//
//   fold         NFKC case fold: full width and case fold alike, "Straße" is "strasse", invisible
//                format characters (a soft hyphen, a zero-width space) are dropped
//   indexTerms   a field value's terms: Latin words whole, every suffix of a run of CJK characters
//                (a Chinese name is found by any part of it), phone numbers by every tail of four
//                or more digits, an email address also whole
//   queryTerms   a search's terms, sorted and unique
//   matchesTerms every query term is a prefix of one of the record's terms (what the server's
//                SQL asks of its index)

export type TermKind = 'words' | 'email' | 'phone';

const MAX_TERM_BYTES = 64;
const MAX_CJK_RUN = 24;

// What JavaScript's toLowerCase leaves that Unicode case folding changes (the server folds
// with ICU's NFKC_Casefold): a few letters whose fold is not their lower case.
const FOLD_AFTER_LOWER: Record<string, string> = { ß: 'ss', ẞ: 'ss', ς: 'σ', ϐ: 'β', ϑ: 'θ', ϕ: 'φ', ϖ: 'π', ϰ: 'κ', ϱ: 'ρ', ϵ: 'ε', ẛ: 'ṡ' };
const FOLD_RE = new RegExp(`[${Object.keys(FOLD_AFTER_LOWER).join('')}]`, 'gu');
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

export function fold(s: string): string {
  const lower = s.normalize('NFKC').toLowerCase().replace(FOLD_RE, (c) => FOLD_AFTER_LOWER[c]!);
  return lower.replace(IGNORABLE, '').normalize('NFKC');
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const WORD = /[\p{L}\p{Nd}\p{Mn}]/u;

const encoder = new TextEncoder();

// A term longer than the server keeps is cut at the same byte length, on a code point boundary.
function pushTerm(out: string[], term: string): void {
  if (!term) return;
  if (encoder.encode(term).length > MAX_TERM_BYTES) {
    let cut = '';
    let bytes = 0;
    for (const c of term) {
      const n = encoder.encode(c).length;
      if (bytes + n > MAX_TERM_BYTES) break;
      cut += c;
      bytes += n;
    }
    term = cut;
  }
  out.push(term);
}

interface Run {
  chars: string[]; // code points
  cjk: boolean;
}

// Folded text cut into runs: words of letters and digits outside CJK, and runs of CJK.
function runs(folded: string): Run[] {
  const out: Run[] = [];
  let cur: Run = { chars: [], cjk: false };
  const flush = () => {
    if (cur.chars.length) out.push(cur);
    cur = { chars: [], cjk: false };
  };
  for (const c of folded) {
    const cjk = CJK.test(c);
    if (!cjk && !WORD.test(c)) {
      flush();
      continue;
    }
    if (cur.chars.length && cur.cjk !== cjk) flush();
    cur.cjk = cjk;
    cur.chars.push(c);
  }
  flush();
  return out;
}

export function indexTerms(value: string, kind: TermKind, out: string[] = []): string[] {
  const folded = fold(value);
  if (kind === 'email') pushTerm(out, folded);
  if (kind === 'phone') {
    const digits = folded.replace(/[^0-9]/g, '');
    for (let i = 0; i + 4 <= digits.length; i++) pushTerm(out, digits.slice(i));
  }
  for (const r of runs(folded)) {
    if (!r.cjk) {
      pushTerm(out, r.chars.join(''));
      continue;
    }
    const count = Math.min(r.chars.length, MAX_CJK_RUN);
    for (let k = 0; k < count; k++) pushTerm(out, r.chars.slice(k).join(''));
  }
  return out;
}

// Sorted as the server sorts them (by UTF-8 bytes, which for well-formed text is code point
// order; JavaScript's default sort compares UTF-16 units, which differs past U+FFFF).
function byCodePoint(a: string, b: string): number {
  const x = [...a], y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const r of runs(fold(query))) pushTerm(terms, r.chars.join(''));
  return [...new Set(terms)].sort(byCodePoint);
}

export function matchesTerms(recordTerms: readonly string[], query: readonly string[]): boolean {
  return query.length > 0 && query.every((q) => recordTerms.some((t) => t.startsWith(q)));
}
