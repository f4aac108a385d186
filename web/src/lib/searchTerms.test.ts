// The offline search folds and cuts text exactly as the server does: both are checked against
// the same vectors (tests/vectors/search_terms.json; the server's side is
// tests/unit/search_vectors_test.cc).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fold, indexTerms, matchesTerms, queryTerms, type TermKind } from './searchTerms';

interface Vectors {
  fold: [string, string][];
  index: { value: string; kind: TermKind; terms: string[] }[];
  query: { query: string; terms: string[] }[];
  matches: { record: Partial<Record<TermKind, string[]>>; find: string[]; miss: string[] }[];
}

const vectors = JSON.parse(readFileSync(new URL('../../../tests/vectors/search_terms.json', import.meta.url), 'utf8')) as Vectors;

describe('search terms, as the server makes them', () => {
  it.each(vectors.fold)('folds %j to %j', (from, to) => {
    expect(fold(from)).toBe(to);
  });

  it.each(vectors.index.map((c) => [c.value, c.kind, c.terms] as const))('indexes %j (%s)', (value, kind, terms) => {
    expect(indexTerms(value, kind)).toEqual(terms);
  });

  it.each(vectors.query.map((c) => [c.query, c.terms] as const))('cuts the query %j', (query, terms) => {
    expect(queryTerms(query)).toEqual(terms);
  });

  it('finds and misses records as the server does', () => {
    for (const c of vectors.matches) {
      const terms: string[] = [];
      for (const [kind, values] of Object.entries(c.record)) for (const v of values ?? []) indexTerms(v, kind as TermKind, terms);
      for (const q of c.find) expect(matchesTerms(terms, queryTerms(q)), q).toBe(true);
      for (const q of c.miss) expect(matchesTerms(terms, queryTerms(q)), q).toBe(false);
    }
  });
});
